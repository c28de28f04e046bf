import { closeSync, openSync, readSync } from 'node:fs';
import { AgentRolloutError } from '@agent-rollout/core';

/**
 * Receives one line: its bytes are `bytes[start, end)` and, one character per byte (Latin-1),
 * `text.slice(start, end)`; ASCII reads the same either way. `terminated` is false for a last
 * line without a newline. Both views are only valid during the call.
 */
export type RawLineVisitor = (text: string, start: number, end: number, bytes: Buffer, terminated: boolean) => void;

const CHUNK_BYTES = 1 << 20;

/** Node's Buffer has `latin1Slice(start, end)`, what `toString('latin1', ...)` ends in; its types do not list it. */
type Latin1Sliceable = Buffer & { latin1Slice(start: number, end: number): string };

/** Buffers of finished reads, reused: a fresh megabyte per file costs more in collection than the read. */
const spareBuffers: Buffer[] = [];
const CARRIAGE_RETURN = 0x0d;

function hasBom(bytes: Buffer, length: number): boolean {
  return length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

/**
 * Visits the lines of a file without decoding them as UTF-8 one by one: each chunk becomes
 * one Latin-1 string (a plain copy of its bytes) in which lines are ranges. A scan that looks
 * only at ASCII structure (quotes, brackets, ids) reads that string as it would the decoded
 * line, without a string per line. Lines are cut at `\n`, a trailing `\r` is left out, a
 * UTF-8 BOM is dropped, and a line may be longer than a chunk.
 */
export async function visitRawLines(filePath: string, signal: AbortSignal | undefined, visit: RawLineVisitor): Promise<void> {
  // Read synchronously: a read of a cached megabyte is far shorter than the round trip
  // through the thread pool; the event loop gets a turn once the file is done.
  const fd = openSync(filePath, 'r');
  try {
    let bytes = spareBuffers.pop() ?? Buffer.allocUnsafe(CHUNK_BYTES);
    let carried = 0;
    let first = true;
    for (;;) {
      if (signal?.aborted) throw new AgentRolloutError('aborted', `reading ${filePath} was aborted`);
      if (carried === bytes.length) {
        // One line longer than the buffer: grow it.
        const bigger = Buffer.allocUnsafe(bytes.length * 2);
        bytes.copy(bigger, 0, 0, carried);
        bytes = bigger;
      }
      const bytesRead = readSync(fd, bytes, carried, bytes.length - carried, null);
      if (bytesRead === 0) break;
      const filled = carried + bytesRead;
      let start = 0;
      if (first) {
        first = false;
        if (hasBom(bytes, filled)) start = 3;
      }
      const text = (bytes as Latin1Sliceable).latin1Slice(0, filled);
      for (let newline = text.indexOf('\n', start); newline !== -1; newline = text.indexOf('\n', start)) {
        const end = newline > start && bytes[newline - 1] === CARRIAGE_RETURN ? newline - 1 : newline;
        visit(text, start, end, bytes, true);
        start = newline + 1;
      }
      bytes.copy(bytes, 0, start, filled);
      carried = filled - start;
    }
    if (carried > 0) {
      const end = bytes[carried - 1] === CARRIAGE_RETURN ? carried - 1 : carried;
      visit((bytes as Latin1Sliceable).latin1Slice(0, carried), 0, end, bytes, false);
    }
    if (bytes.length === CHUNK_BYTES && spareBuffers.length < 4) spareBuffers.push(bytes);
  } finally {
    closeSync(fd);
  }
  await new Promise((resolve) => setImmediate(resolve));
}
