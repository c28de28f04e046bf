import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describeError } from '../errors.js';
import { defaultRegistry, type FormatRegistry } from './format-registry.js';

/**
 * The package.json field a format package uses to declare what it provides:
 * `"agentRollout": { "formats": ["claude_code"] }`. Discovery imports only packages that
 * have it.
 */
export const DISCOVERY_FIELD = 'agentRollout';

/** A format package that discovery imported. */
export interface DiscoveredPackage {
  /** The package name from its package.json. */
  name: string;
  /** The package version, when its package.json has one. */
  version: string | undefined;
  /** The package's directory. */
  directory: string;
  /** The format ids its package.json declares. */
  formats: string[];
}

/** A package that declares formats but could not be used, with why. */
export interface DiscoveryFailure {
  /** The package name (or the specifier given to {@link loadFormatPackage}). */
  name: string;
  /** Where the package was found, when it was found. */
  directory?: string;
  /** What went wrong: the import failed, a declared format was not registered, ... */
  reason: string;
}

/** What {@link discoverFormats} or {@link loadFormatPackage} loaded, and what failed. */
export interface DiscoveryReport {
  /** Packages imported, with the formats they declare. */
  loaded: DiscoveredPackage[];
  /** Packages that declare formats but could not be imported, or did not register what they declared. */
  failed: DiscoveryFailure[];
}

interface PackageJson {
  name?: unknown;
  version?: unknown;
  main?: unknown;
  exports?: unknown;
  [DISCOVERY_FIELD]?: unknown;
}

async function readPackageJson(directory: string): Promise<PackageJson | undefined> {
  try {
    return JSON.parse(await readFile(path.join(directory, 'package.json'), 'utf8')) as PackageJson;
  } catch {
    return undefined;
  }
}

function declaredFormats(pkg: PackageJson): string[] | undefined {
  const field = pkg[DISCOVERY_FIELD];
  if (typeof field !== 'object' || field === null) return undefined;
  const formats = (field as { formats?: unknown }).formats;
  if (!Array.isArray(formats)) return undefined;
  const ids = formats.filter((id): id is string => typeof id === 'string' && id.length > 0);
  return ids.length > 0 ? ids : undefined;
}

/** The `node_modules` folders Node would search from `start`, nearest first. */
function nodeModulesChain(start: string): string[] {
  const chain: string[] = [];
  let current = path.resolve(start);
  for (;;) {
    if (path.basename(current) !== 'node_modules') chain.push(path.join(current, 'node_modules'));
    const parent = path.dirname(current);
    if (parent === current) return chain;
    current = parent;
  }
}

async function listPackageDirectories(nodeModules: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(nodeModules);
  } catch {
    return [];
  }
  const dirs: string[] = [];
  for (const name of names.sort()) {
    if (name.startsWith('.')) continue;
    if (name.startsWith('@')) {
      let scoped: string[] = [];
      try {
        scoped = await readdir(path.join(nodeModules, name));
      } catch {
        continue;
      }
      for (const inner of scoped.sort()) dirs.push(path.join(nodeModules, name, inner));
    } else {
      dirs.push(path.join(nodeModules, name));
    }
  }
  return dirs;
}

const IMPORT_CONDITIONS = ['import', 'node', 'default'];

/** Picks the target of an `exports` entry for an ESM import in Node. */
function pickExport(target: unknown): string | undefined {
  if (typeof target === 'string') return target;
  if (Array.isArray(target)) {
    for (const item of target) {
      const picked = pickExport(item);
      if (picked) return picked;
    }
    return undefined;
  }
  if (typeof target === 'object' && target !== null) {
    for (const [condition, value] of Object.entries(target)) {
      if (IMPORT_CONDITIONS.includes(condition)) {
        const picked = pickExport(value);
        if (picked) return picked;
      }
    }
  }
  return undefined;
}

/** The file an `import "<package>"` would load, from the package's own package.json. */
export function resolvePackageEntry(directory: string, pkg: PackageJson): string {
  const { exports } = pkg;
  if (exports !== undefined) {
    const root =
      typeof exports === 'object' && exports !== null && !Array.isArray(exports) && Object.keys(exports).some((key) => key.startsWith('.'))
        ? (exports as Record<string, unknown>)['.']
        : exports;
    const target = pickExport(root);
    if (!target) throw new Error('its package.json "exports" has no "." entry for import');
    return path.join(directory, target);
  }
  return path.join(directory, typeof pkg.main === 'string' ? pkg.main : 'index.js');
}

async function importPackage(directory: string, pkg: PackageJson, formats: string[], registry: FormatRegistry): Promise<void> {
  const entry = resolvePackageEntry(directory, pkg);
  await import(pathToFileURL(entry).href);
  // Importing registers into the default registry; copy what was declared into another one.
  const shared = defaultRegistry();
  if (registry === shared) return;
  for (const id of formats) {
    const registration = shared.getRegistration(id);
    if (registration && !registry.has(id)) {
      const { handler, ...origin } = registration;
      registry.register(handler, origin);
    }
  }
}

async function loadDirectory(
  directory: string,
  pkg: PackageJson,
  formats: string[],
  registry: FormatRegistry,
  report: DiscoveryReport,
): Promise<void> {
  const name = typeof pkg.name === 'string' ? pkg.name : path.basename(directory);
  const version = typeof pkg.version === 'string' ? pkg.version : undefined;
  try {
    await importPackage(directory, pkg, formats, registry);
  } catch (error) {
    report.failed.push({ name, directory, reason: `import failed: ${describeError(error)}` });
    return;
  }
  const missing = formats.filter((id) => !registry.has(id));
  if (missing.length > 0) {
    report.failed.push({
      name,
      directory,
      reason: `it declares ${missing.join(', ')} but did not register ${missing.length === 1 ? 'it' : 'them'} on import`,
    });
    return;
  }
  report.loaded.push({ name, version, directory, formats });
}

/** Where discovery looks, and which registry it fills. */
export interface DiscoverOptions {
  /** Directories to search from, like Node's resolution (each and its ancestors' node_modules). Default: the working directory. */
  from?: readonly string[];
  /** The registry to fill. Default: core's default registry. */
  registry?: FormatRegistry;
}

/**
 * Finds installed packages that declare formats in their package.json (the `agentRollout`
 * field), imports them so they register, and reports what loaded and what failed. Packages
 * that declare nothing are never imported. When two directories hold the same package name,
 * the one nearest the first search directory wins.
 */
export async function discoverFormats(options: DiscoverOptions = {}): Promise<DiscoveryReport> {
  const registry = options.registry ?? defaultRegistry();
  const report: DiscoveryReport = { loaded: [], failed: [] };
  const seen = new Set<string>();
  for (const start of options.from ?? [process.cwd()]) {
    for (const nodeModules of nodeModulesChain(start)) {
      for (const directory of await listPackageDirectories(nodeModules)) {
        const pkg = await readPackageJson(directory);
        if (!pkg) continue;
        const formats = declaredFormats(pkg);
        if (!formats) continue;
        const name = typeof pkg.name === 'string' ? pkg.name : directory;
        if (seen.has(name)) continue;
        seen.add(name);
        await loadDirectory(directory, pkg, formats, registry, report);
      }
    }
  }
  return report;
}

async function isDirectory(candidate: string): Promise<boolean> {
  try {
    return (await stat(candidate)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Loads one format package by name (as the CLI's `--plugin` does), resolved from the given
 * directories like an import, or by a path to its folder. The package must declare its
 * formats in package.json.
 */
export async function loadFormatPackage(specifier: string, options: DiscoverOptions = {}): Promise<DiscoveryReport> {
  const registry = options.registry ?? defaultRegistry();
  const report: DiscoveryReport = { loaded: [], failed: [] };
  const looksLikePath = specifier.startsWith('.') || path.isAbsolute(specifier);
  const candidates = looksLikePath
    ? [path.resolve(options.from?.[0] ?? process.cwd(), specifier)]
    : (options.from ?? [process.cwd()]).flatMap((start) => nodeModulesChain(start).map((dir) => path.join(dir, specifier)));
  for (const directory of candidates) {
    if (!(await isDirectory(directory))) continue;
    const pkg = await readPackageJson(directory);
    if (!pkg) continue;
    const formats = declaredFormats(pkg);
    if (!formats) {
      report.failed.push({
        name: specifier,
        directory,
        reason: `its package.json does not declare formats; add "${DISCOVERY_FIELD}": { "formats": ["<id>"] }`,
      });
      return report;
    }
    await loadDirectory(directory, pkg, formats, registry, report);
    return report;
  }
  report.failed.push({
    name: specifier,
    reason: 'the package is not installed where it can be found (looked from the project directory up)',
  });
  return report;
}
