import {
  type AgentRolloutSource,
  type FileExecutor,
  type FormatRegistry,
  type NormalizedRollout,
  type ReadProgress,
  type RunReport,
  readRollouts,
} from '@agent-rollout/core';
import type { SourceFlagValues } from '../flags/source-flags.js';
import { countsSince, type RowTransform } from './row-transform.js';

/** Per-format counts the run report does not hold: what the rows contain. */
export interface FormatTally {
  messages: number;
  toolCalls: number;
}

/** One format's read: its report (complete, also after a strict stop) and tallies. */
export interface FormatRun {
  report: RunReport;
  tally: FormatTally;
}

export interface ReadSourcesOptions {
  registry: FormatRegistry;
  flags: SourceFlagValues;
  executor: FileExecutor | undefined;
  transform: RowTransform;
  signal: AbortSignal;
  onStart?: (format: string) => void;
  onProgress?: (progress: ReadProgress) => void;
  onFormatDone?: (run: FormatRun) => void;
  /** Gets every row after the transform, in order. */
  onRow: (row: NormalizedRollout) => Promise<void> | void;
}

export interface ReadSourcesResult {
  runs: FormatRun[];
  /** Set when the read stopped early (strict failure, abort, a row consumer that threw). */
  error?: unknown;
}

/**
 * Reads the sources one after another, passing every row through the transform before it
 * reaches `onRow`. Never throws: a stop is returned with the reports so far, so the caller
 * can still write the report.
 */
export async function readSources(sources: readonly AgentRolloutSource[], options: ReadSourcesOptions): Promise<ReadSourcesResult> {
  const runs: FormatRun[] = [];
  const { flags } = options;
  for (const source of sources) {
    options.onStart?.(source.format);
    const read = readRollouts(source, {
      registry: options.registry,
      selection: {
        ...(flags.partition ? { partition: flags.partition } : {}),
        shuffle: flags.shuffle ?? false,
        seed: flags.seed ?? 0,
        ...(flags.limit !== undefined ? { limit: flags.limit } : {}),
      },
      errorPolicy: flags.strict ? 'strict' : 'skip',
      signal: options.signal,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.executor ? { executor: options.executor } : {}),
    });
    const run: FormatRun = { report: read.report, tally: { messages: 0, toolCalls: 0 } };
    runs.push(run);
    const before = options.transform.counts();
    try {
      for await (const row of read) {
        const out = options.transform.apply(row);
        run.tally.messages += out.message_count;
        run.tally.toolCalls += out.tool_call_count;
        await options.onRow(out);
      }
    } catch (error) {
      return { runs, error };
    } finally {
      run.report.redactions = countsSince(before, options.transform.counts());
      options.onFormatDone?.(run);
    }
  }
  return { runs };
}
