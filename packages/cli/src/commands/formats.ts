import { stat } from 'node:fs/promises';
import path from 'node:path';
import { expandHome } from '@agent-rollout/core';
import type { CliContext } from '../context.js';
import { EXIT } from '../errors.js';
import { loadFormats } from '../pipeline/load-formats.js';
import { renderTable } from '../ui/format.js';

export interface FormatsFlags {
  json?: boolean;
  plugin?: string[];
}

/** One line of `agent-rollout formats`. */
export interface FormatListing {
  id: string;
  displayName: string;
  package: string | null;
  version: string | null;
  defaultPath: string | null;
  defaultPathExists: boolean;
  filePattern: string;
}

async function exists(candidate: string): Promise<boolean> {
  try {
    return (await stat(candidate)).isDirectory();
  } catch {
    return false;
  }
}

export async function listFormats(flags: FormatsFlags, context: CliContext): Promise<{ formats: FormatListing[]; warnings: string[] }> {
  const { registry, discoveryFailures } = await loadFormats(flags.plugin ?? [], context.cwd);
  const formats: FormatListing[] = [];
  for (const registration of registry.list()) {
    const { handler } = registration;
    const defaultPath = handler.defaults.path;
    formats.push({
      id: handler.id,
      displayName: handler.displayName,
      package: registration.packageName ?? null,
      version: registration.packageVersion ?? null,
      defaultPath: defaultPath ?? null,
      defaultPathExists: defaultPath !== undefined && (await exists(path.resolve(expandHome(defaultPath)))),
      filePattern: handler.defaults.filePattern,
    });
  }
  return { formats, warnings: discoveryFailures.map((failure) => `format package ${failure.name} was not loaded: ${failure.reason}`) };
}

export async function runFormats(flags: FormatsFlags, context: CliContext): Promise<number> {
  const { formats, warnings } = await listFormats(flags, context);
  for (const warning of warnings) context.stderr.write(`warning: ${warning}\n`);
  if (flags.json) {
    context.stdout.write(`${JSON.stringify(formats, null, 2)}\n`);
    return EXIT.ok;
  }
  if (formats.length === 0) {
    context.stdout.write('no formats installed; install @agent-rollout/format-claude-code or load a package with --plugin\n');
    return EXIT.ok;
  }
  const rows: (string | number)[][] = [['id', 'name', 'package', 'default path', 'exists', 'file pattern']];
  for (const format of formats) {
    rows.push([
      format.id,
      format.displayName,
      format.package ? `${format.package}${format.version ? `@${format.version}` : ''}` : '(unnamed)',
      format.defaultPath ?? '(none)',
      format.defaultPathExists ? 'yes' : 'no',
      format.filePattern,
    ]);
  }
  context.stdout.write(`${renderTable(rows)}\n`);
  return EXIT.ok;
}
