import {
  type AgentRolloutSource,
  type EncodedRows,
  type FileExecutor,
  type FormatRegistry,
  type NormalizedRollout,
  type ReadOptions,
  type ReadProgress,
  type RedactionOptions,
  type RunReport,
  readRolloutBatches,
  readRollouts,
} from '@agent-rollout/core';
import type { SourceFlagValues } from '../flags/source-flags.js';
import { selectionFromFlags } from './prepare-read.js';

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

/**
 * Where the rows go: row objects one by one, or each file's rows already serialized as JSONL
 * (the fast path for a JSONL output: worker threads serialize, the main thread only writes).
 */
export type RowConsumer =
  | { onRow: (row: NormalizedRollout) => Promise<void> | void }
  | { onBatch: (batch: EncodedRows) => Promise<void> | void };

export interface ReadSourcesOptions {
  registry: FormatRegistry;
  flags: SourceFlagValues;
  executor: FileExecutor | undefined;
  /** Redaction applied to every row as its file is parsed; undefined: rows are not redacted. */
  redaction: RedactionOptions | undefined;
  signal: AbortSignal;
  onProgress?: (progress: ReadProgress) => void;
  onFormatDone?: (run: FormatRun) => void;
  consumer: RowConsumer;
}

export interface ReadSourcesResult {
  runs: FormatRun[];
  /** Set when the read stopped early (strict failure, abort, a consumer that threw). */
  error?: unknown;
}

function readOptions(options: ReadSourcesOptions): ReadOptions {
  const { flags } = options;
  return {
    registry: options.registry,
    selection: selectionFromFlags(flags),
    errorPolicy: flags.strict ? 'strict' : 'skip',
    signal: options.signal,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.executor ? { executor: options.executor } : {}),
    ...(options.redaction ? { redaction: options.redaction } : {}),
  };
}

/**
 * Reads the sources one after another and hands every row, redacted, to the consumer in
 * order. Never throws: a stop is returned with the reports so far, so the caller can still
 * write the report.
 */
export async function readSources(sources: readonly AgentRolloutSource[], options: ReadSourcesOptions): Promise<ReadSourcesResult> {
  const runs: FormatRun[] = [];
  const { consumer } = options;
  for (const source of sources) {
    const tally: FormatTally = { messages: 0, toolCalls: 0 };
    let run: FormatRun | undefined;
    try {
      if ('onBatch' in consumer) {
        const read = readRolloutBatches(source, readOptions(options));
        run = { report: read.report, tally };
        runs.push(run);
        for await (const batch of read) {
          tally.messages += batch.messages;
          tally.toolCalls += batch.toolCalls;
          await consumer.onBatch(batch);
        }
      } else {
        const read = readRollouts(source, readOptions(options));
        run = { report: read.report, tally };
        runs.push(run);
        for await (const row of read) {
          tally.messages += row.message_count;
          tally.toolCalls += row.tool_call_count;
          await consumer.onRow(row);
        }
      }
    } catch (error) {
      return { runs, error };
    } finally {
      if (run) options.onFormatDone?.(run);
    }
  }
  return { runs };
}
