import { availableParallelism } from 'node:os';
import { InvalidArgumentError } from 'commander';
import { type FlagSpec, integerParser } from './flag-spec.js';

/** A shard of the corpus: `index` (0-based) of `count`. */
export interface Partition {
  index: number;
  count: number;
}

function parsePartition(value: string): Partition {
  const match = /^(\d+)\/(\d+)$/.exec(value.trim());
  if (!match) throw new InvalidArgumentError('expected <index>/<count> with a 0-based index, such as 0/4');
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1) throw new InvalidArgumentError('the count must be at least 1');
  if (index >= count) throw new InvalidArgumentError(`the index is 0-based and must be below the count (0 to ${count - 1})`);
  return { index, count };
}

/**
 * The flags that say what to read. Shared by every command that reads sessions (ingest,
 * stats, and the recipe commands), so they behave the same everywhere.
 */
export const SOURCE_FLAGS: readonly FlagSpec[] = [
  {
    flags: '--format <id>',
    description: 'read this format (repeatable); see `agent-rollout formats`',
    repeatable: true,
    defaultDescription: 'every format whose default path exists here',
  },
  {
    flags: '--path <dir>',
    description: 'read sessions under this folder instead of the format’s default path (needs exactly one --format)',
  },
  { flags: '--file-pattern <glob>', description: 'only files whose name matches this glob', defaultDescription: 'the format’s pattern' },
  { flags: '--no-recursive', description: 'do not descend into subfolders' },
  {
    flags: '--partition <index>/<count>',
    description: 'read only shard <index> (0-based) of <count> disjoint shards, per format',
    parse: parsePartition,
  },
  { flags: '--shuffle', description: 'read the selected files in a seeded random order' },
  { flags: '--seed <n>', description: 'seed for --shuffle', parse: integerParser(0, 'a seed'), defaultDescription: '0' },
  {
    flags: '--limit <n>',
    description: 'read at most <n> files of each format (after partition and shuffle)',
    parse: integerParser(1, 'a file count'),
  },
  { flags: '--strict', description: 'stop at the first file that cannot be parsed (exit 1)' },
  { flags: '--plugin <package>', description: 'load a format package by name or path (repeatable)', repeatable: true },
];

/**
 * Flags that say how to read: parallelism and redaction. Shared like {@link SOURCE_FLAGS}.
 */
export const READ_FLAGS: readonly FlagSpec[] = [
  {
    flags: '--workers <n>',
    description: 'parse files in <n> worker threads (1: in the main thread); the output is the same',
    parse: integerParser(1, 'a worker count'),
    defaultValue: availableParallelism(),
    defaultDescription: 'one per core',
  },
  { flags: '--no-redact', description: 'keep secrets and home paths as they are (redaction is on by default)' },
  { flags: '--redact-rules <file>', description: 'a JSON file of extra redaction patterns and rule ids to disable' },
];

/** The source flags as commander hands them over. */
export interface SourceFlagValues {
  format?: string[];
  path?: string;
  filePattern?: string;
  recursive: boolean;
  partition?: Partition;
  shuffle?: boolean;
  seed?: number;
  limit?: number;
  strict?: boolean;
  plugin?: string[];
}

/** The read flags as commander hands them over. */
export interface ReadFlagValues {
  workers: number;
  redact: boolean;
  redactRules?: string;
}

/** Silence on stderr; every command has it. */
export const QUIET: FlagSpec = { flags: '-q, --quiet', description: 'print nothing on stderr (no progress, no summary)' };
