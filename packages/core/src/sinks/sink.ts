import type { EncodedRows } from '../reader/encode-rows.js';
import type { NormalizedRollout } from '../schema/row.js';

/** The dataset formats core can write. */
export const SINK_FORMATS = ['jsonl', 'parquet', 'openai-chat'] as const;
export type SinkFormat = (typeof SINK_FORMATS)[number];

/** What a sink did, once it is closed. JSON-serializable. */
export interface SinkSummary {
  format: SinkFormat;
  /** The final path of the dataset, or `-` for a stream such as stdout. */
  path: string;
  /** Rows handed to `write`. */
  rowsIn: number;
  /** Rows (or examples) in the output. */
  rowsWritten: number;
  /** Rows left out, by reason (only the OpenAI-chat sink leaves rows out). */
  skipped: Record<string, number>;
  /** Bytes written. */
  bytes: number;
}

/**
 * A place rows go. `open` once, `write` every row in order, then `close` to publish the
 * output (a file appears under its final name only then) or `abort` to throw it away.
 */
export interface RolloutSink {
  readonly format: SinkFormat;
  open(): Promise<void>;
  write(row: NormalizedRollout): Promise<void>;
  /**
   * Writes rows that are already serialized (one `serializeRollout` line each, as
   * `readRolloutBatches` yields them), the same as writing each row. Only sinks whose output
   * is those lines (JSONL) have it; for the others, decode the batch and `write` each row.
   */
  writeEncoded?(batch: EncodedRows): Promise<void>;
  close(): Promise<SinkSummary>;
  /** Discards the output; safe to call at any point, also after a failed write. */
  abort(): Promise<void>;
}
