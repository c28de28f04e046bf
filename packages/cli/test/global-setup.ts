import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
const CLI_DIR = path.join(ROOT, 'packages', 'cli');

interface PackageJson {
  name?: string;
  dependencies?: Record<string, string>;
  agentRollout?: unknown;
}

function readPackage(dir: string): PackageJson {
  return JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as PackageJson;
}

/**
 * The workspace packages the built binary loads, in build order (core first, the CLI last):
 * the CLI's `workspace:` dependencies. Format packages are optional: the CLI only discovers
 * them, and the toy-plugin tests run without them.
 */
function packagesToBuild(): { dir: string; required: boolean }[] {
  const byName = new Map<string, string>();
  for (const entry of readdirSync(path.join(ROOT, 'packages'))) {
    const dir = path.join(ROOT, 'packages', entry);
    if (existsSync(path.join(dir, 'package.json'))) byName.set(readPackage(dir).name ?? entry, dir);
  }
  const deps = Object.entries(readPackage(CLI_DIR).dependencies ?? {})
    .filter(([, range]) => range.startsWith('workspace:'))
    .map(([name]) => byName.get(name))
    .filter((dir): dir is string => dir !== undefined);
  const core = path.join(ROOT, 'packages', 'core');
  const rest = deps.filter((dir) => dir !== core).map((dir) => ({ dir, required: readPackage(dir).agentRollout === undefined }));
  return [{ dir: core, required: true }, ...rest, { dir: CLI_DIR, required: true }];
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function isStale(dir: string): boolean {
  const built = path.join(dir, 'dist', 'index.js');
  if (!existsSync(built)) return true;
  return newestMtime(path.join(dir, 'src')) > statSync(built).mtimeMs;
}

/**
 * The end-to-end tests spawn the real binary (packages/cli/dist/bin.js), so the packages it
 * loads must be built. A fresh clone has no dist/; after an edit the build is out of date.
 * Builds only then, and only the packages the binary loads (not the whole workspace, so a
 * package the CLI does not load cannot break these tests).
 */
export default function setup(): void {
  for (const { dir, required } of packagesToBuild()) {
    if (!isStale(dir)) continue;
    try {
      // The package's build without its `rm -rf dist`: files are replaced in place, so a test
      // run elsewhere never finds dist/ missing while this one rebuilds it.
      execFileSync('pnpm', ['exec', 'tsc', '-p', 'tsconfig.build.json'], { cwd: dir, stdio: 'inherit' });
    } catch (error) {
      const name = path.relative(ROOT, dir);
      if (required) throw new Error(`the build of ${name} failed; the end-to-end tests need it`, { cause: error });
      console.warn(`warning: the build of ${name} failed; tests that read its format will fail`);
    }
  }
}
