import type { NormalizedRollout } from '../schema/row.js';
import { serializeRollout } from '../schema/serialize.js';

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
 * Serializes rows into one buffer. Each row is stringified on its own and written into a
 * buffer sized up front, so a file's rows are never joined into one (possibly too long) string.
 */
export function encodeRows(rows: readonly NormalizedRollout[]): EncodedRows {
  const lines: string[] = new Array(rows.length);
  let bytes = 0;
  let messages = 0;
  let toolCalls = 0;
  for (let i = 0; i < rows.length; i += 1) {
    const row = rows[i] as NormalizedRollout;
    const line = serializeRollout(row);
    lines[i] = line;
    bytes += Buffer.byteLength(line, 'utf8') + 1;
    messages += row.message_count;
    toolCalls += row.tool_call_count;
  }
  // allocUnsafeSlow: a buffer of its own (not a slice of the shared pool), so it can be transferred.
  const jsonl = Buffer.allocUnsafeSlow(bytes);
  let offset = 0;
  for (const line of lines) {
    offset += jsonl.write(line, offset, 'utf8');
    jsonl[offset] = 0x0a;
    offset += 1;
  }
  return { jsonl, rows: rows.length, messages, toolCalls };
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
