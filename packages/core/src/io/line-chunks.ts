import { closeSync, openSync, readSync } from 'node:fs';
import { AgentRolloutError } from '../errors.js';

export interface LineChunkOptions {
  /** Stops the read with an `aborted` error when aborted. */
  signal?: AbortSignal;
}

const CHUNK_BYTES = 1 << 20;
/** The event loop gets a turn after this many bytes read (progress, output writes, an abort). */
const BYTES_BETWEEN_TURNS = 16 * CHUNK_BYTES;
const NEWLINE = 0x0a;
/** Read buffers of finished files, reused: a fresh megabyte per file costs more in collection than the read. */
const spareBuffers: Buffer[] = [];
const SPARES_KEPT = 4;

function hasBom(bytes: Buffer, length: number): boolean {
  return length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

/**
 * Reads a JSONL file as chunks of whole lines: every chunk ends just after a `\n`, except
 * the last one when the file does not end with a newline. A UTF-8 byte order mark is
 * dropped; a line may be longer than a chunk. Lines are cut on bytes, never decoded here:
 * a caller can decode each line on its own, which keeps ASCII lines on the engine's fast
 * one-byte strings, or search a whole chunk at once for the few lines it needs.
 *
 * A chunk is a view of a buffer the next chunk is read into: use it before asking for the
 * next one, and copy what must outlive it.
 *
 * Reads block: a read of a cached megabyte is far shorter than a round trip through libuv's
 * thread pool (on the benchmark machine those round trips cost about 2 s per GB read). The
 * event loop still gets a turn every 16 MiB, so progress, pending writes and an abort are
 * seen during a long file.
 */
export async function* readLineChunks(filePath: string, options: LineChunkOptions = {}): AsyncGenerator<Buffer> {
  const { signal } = options;
  const fd = openSync(filePath, 'r');
  let buffer = spareBuffers.pop() ?? Buffer.allocUnsafe(CHUNK_BYTES);
  try {
    // Bytes of an unfinished line at the front of the buffer, carried from the previous read.
    let carried = 0;
    let first = true;
    let sinceTurn = 0;
    for (;;) {
      if (sinceTurn >= BYTES_BETWEEN_TURNS) {
        sinceTurn = 0;
        await new Promise((resolve) => setImmediate(resolve));
      }
      if (signal?.aborted) throw new AgentRolloutError('aborted', `reading ${filePath} was aborted`);
      if (carried === buffer.length) {
        // One line longer than the buffer: grow it.
        const bigger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(bigger, 0, 0, carried);
        buffer = bigger;
      }
      const bytesRead = readSync(fd, buffer, carried, buffer.length - carried, null);
      if (bytesRead === 0) break;
      sinceTurn += bytesRead;
      let filled = carried + bytesRead;
      if (first) {
        first = false;
        if (hasBom(buffer, filled)) {
          buffer.copy(buffer, 0, 3, filled);
          filled -= 3;
        }
      }
      const end = filled === 0 ? 0 : buffer.lastIndexOf(NEWLINE, filled - 1) + 1;
      if (end > 0) yield buffer.subarray(0, end);
      buffer.copy(buffer, 0, end, filled);
      carried = filled - end;
    }
    if (carried > 0) yield buffer.subarray(0, carried);
  } finally {
    if (buffer.length === CHUNK_BYTES && spareBuffers.length < SPARES_KEPT) spareBuffers.push(buffer);
    closeSync(fd);
  }
}
