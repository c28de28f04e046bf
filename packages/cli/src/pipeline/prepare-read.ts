import type { AgentRolloutSource, FileExecutor, FormatRegistry, RedactionOptions, SelectionOptions } from '@agent-rollout/core';
import type { ReadFlagValues, SourceFlagValues } from '../flags/source-flags.js';
import { chooseExecutor } from './executor.js';
import { loadFormats } from './load-formats.js';
import { resolveRedaction } from './redaction.js';
import { selectSources } from './select-sources.js';

/** Everything a command needs before it reads: the formats, what to read, and how. */
export interface PreparedRead {
  registry: FormatRegistry;
  sources: AgentRolloutSource[];
  /** Undefined with `--no-redact`. */
  redaction: RedactionOptions | undefined;
  executor: FileExecutor | undefined;
}

/**
 * Turns the source and read flags into a read every command does the same way: load the
 * formats (warning about packages that failed to load), pick the sources, check the
 * redaction rules and choose the executor. Usage errors are thrown before anything is read.
 */
export async function prepareRead(
  flags: SourceFlagValues & ReadFlagValues,
  cwd: string,
  warn: (text: string) => void,
): Promise<PreparedRead> {
  const { registry, discoveryFailures } = await loadFormats(flags.plugin ?? [], cwd);
  for (const failure of discoveryFailures) warn(`warning: format package ${failure.name} was not loaded: ${failure.reason}\n`);
  const sources = await selectSources(registry, flags, cwd);
  const redaction = await resolveRedaction(flags, cwd);
  return { registry, sources, redaction, executor: chooseExecutor(flags.workers, registry) };
}

/** The partition, shuffle and limit the flags ask for. */
export function selectionFromFlags(flags: SourceFlagValues): SelectionOptions {
  return {
    ...(flags.partition ? { partition: flags.partition } : {}),
    shuffle: flags.shuffle ?? false,
    seed: flags.seed ?? 0,
    ...(flags.limit !== undefined ? { limit: flags.limit } : {}),
  };
}
