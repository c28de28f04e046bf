import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { AgentRolloutError } from '../errors.js';
import type { FormatHandler } from '../handler/format-handler.js';
import type { FormatRegistry } from '../registry/format-registry.js';

/** What to read: a format and, optionally, where and which files. Validated with zod. */
export const AgentRolloutSourceSchema = z.object({
  /** A registered format id, such as `claude_code`. */
  format: z.string().min(1, 'format must name a registered format, such as "claude_code"'),
  /** Root directory; `~` expands to the home directory. Defaults to the format's default path. */
  path: z.string().min(1).optional(),
  /** Basename glob, such as `*.jsonl`. Defaults to the format's pattern. */
  filePattern: z.string().min(1).optional(),
  /** Whether to descend into subdirectories. */
  recursive: z.boolean().default(true),
});

/** What to read, as a caller writes it: `{ format, path?, filePattern?, recursive? }`. */
export type AgentRolloutSource = z.input<typeof AgentRolloutSourceSchema>;

/** A source with every default filled in and its root checked. */
export interface ResolvedSource {
  /** The format id. */
  format: string;
  /** The registered handler of that format. */
  handler: FormatHandler;
  /** The absolute root directory, `~` expanded; it exists and is a directory. */
  root: string;
  /** The basename glob: the source's, else the handler's default. */
  filePattern: string;
  /** Whether to descend into subdirectories. */
  recursive: boolean;
}

/** Expands a leading `~` to the user's home directory. */
export function expandHome(value: string, home: string = homedir()): string {
  if (value === '~') return home;
  if (value.startsWith('~/') || value.startsWith(`~${path.sep}`)) return path.join(home, value.slice(2));
  return value;
}

function configError(message: string): AgentRolloutError {
  return new AgentRolloutError('config', message);
}

/**
 * Validates a source against a registry and fills in the handler's defaults. Throws an
 * `AgentRolloutError` with code `config` that says exactly what is wrong.
 */
export async function resolveSource(input: AgentRolloutSource, registry: FormatRegistry): Promise<ResolvedSource> {
  const parsed = AgentRolloutSourceSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'source'}: ${issue.message}`);
    throw configError(`invalid source: ${issues.join('; ')}`);
  }
  const source = parsed.data;
  const handler = registry.get(source.format);
  if (!handler) {
    const known = registry.ids();
    throw configError(
      `unknown format "${source.format}"; known formats: ${known.length > 0 ? known.join(', ') : 'none (install a format package such as @agent-rollout/format-claude-code)'}`,
    );
  }
  const rawPath = source.path ?? handler.defaults.path;
  if (rawPath === undefined) {
    throw configError(`format "${source.format}" has no default location; give the directory to read with a path`);
  }
  const root = path.resolve(expandHome(rawPath));
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(root);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? String(error)})`;
    throw configError(`the ${source.path === undefined ? 'default ' : ''}path for format "${source.format}", ${root}, ${why}`);
  }
  if (!info.isDirectory()) {
    throw configError(`the path for format "${source.format}", ${root}, is not a directory; give the folder that holds the session files`);
  }
  return {
    format: source.format,
    handler,
    root,
    filePattern: source.filePattern ?? handler.defaults.filePattern,
    recursive: source.recursive,
  };
}
