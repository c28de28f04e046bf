import type { NormalizedRollout } from '../schema/row.js';
import { writeJson } from './json-writer.js';
import { Utf8Chunks } from './utf8-chunks.js';

/**
 * The rows of one file serialized once, as the bytes a JSONL sink writes: each row is
 * {@link serializeRollout} followed by `\n`. Worker threads hand rows to the main thread in
 * this form (a transferred buffer, no structured clone), and a JSONL sink writes it as is.
 */
export interface EncodedRows {
  /** UTF-8 JSONL, one row per line, every line ending in `\n`. */
  jsonl: Uint8Array;
  rows: number;
  /** Sum of `message_count` over the rows. */
  messages: number;
  /** Sum of `tool_call_count` over the rows. */
  toolCalls: number;
}

/**
 * Serializes rows into one buffer, byte for byte what `serializeRollout` and `\n` give for each
 * row. A row is written value by value, each encoded straight into the output: a long
 * session's row never becomes one giant string (which the engine would have to flatten and
 * measure before encoding it). `expectedBytes`, such as the size of the file the rows come
 * from, sizes the output buffer: a good estimate saves a copy at the end.
 */
export function encodeRows(rows: readonly NormalizedRollout[], expectedBytes?: number): EncodedRows {
  const out = new Utf8Chunks(expectedBytes);
  let messages = 0;
  let toolCalls = 0;
  for (const row of rows) {
    // Value by value, straight into the buffer (see writeJson).
    writeJson(row, out);
    out.writeByte(0x0a);
    messages += row.message_count;
    toolCalls += row.tool_call_count;
  }
  return { jsonl: out.take(), rows: rows.length, messages, toolCalls };
}

/** Turns encoded rows back into row objects (for a consumer that wants objects). */
export function decodeRows(encoded: EncodedRows): NormalizedRollout[] {
  const bytes = Buffer.from(encoded.jsonl.buffer, encoded.jsonl.byteOffset, encoded.jsonl.byteLength);
  const rows: NormalizedRollout[] = [];
  let start = 0;
  for (let nl = bytes.indexOf(0x0a, start); nl !== -1; nl = bytes.indexOf(0x0a, start)) {
    rows.push(JSON.parse(bytes.toString('utf8', start, nl)) as NormalizedRollout);
    start = nl + 1;
  }
  return rows;
}
