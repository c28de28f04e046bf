import { readLineChunks } from '@agent-rollout/core/format';

/**
 * Receives one line as the range `bytes[start, end)` of the read buffer, never decoded.
 * `terminated` is false for a last line without a newline. `bytes` is only valid during the
 * call: a value kept must be copied out of it.
 */
export type RawLineVisitor = (bytes: Buffer, start: number, end: number, terminated: boolean) => void;

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/**
 * Visits the lines of a file without decoding them: a scan that looks only at ASCII structure
 * (quotes, brackets, ids) reads each line's bytes in core's `readLineChunks` buffer, which is
 * reused from read to read. No string per line: a Latin-1 copy of every line, as before, put
 * the long ones in the engine's large-object space in fresh pages (the scan of the 1 GB
 * benchmark's Claude Code files: 88k page faults then, 27k now). A trailing `\r` is left out
 * of a line.
 */
export async function visitRawLines(filePath: string, signal: AbortSignal | undefined, visit: RawLineVisitor): Promise<void> {
  for await (const chunk of readLineChunks(filePath, signal ? { signal } : {})) {
    let start = 0;
    for (let newline = chunk.indexOf(NEWLINE, start); newline !== -1; newline = chunk.indexOf(NEWLINE, start)) {
      visit(chunk, start, lineEnd(chunk, start, newline), true);
      start = newline + 1;
    }
    // Only the last chunk of a file that does not end with a newline has bytes left.
    if (start < chunk.length) visit(chunk, start, lineEnd(chunk, start, chunk.length), false);
  }
  // The event loop gets a turn after every file, however short.
  await new Promise((resolve) => setImmediate(resolve));
}

/** Where a line that ends before `end` stops once a trailing `\r` is left out. */
function lineEnd(bytes: Buffer, start: number, end: number): number {
  return end > start && bytes[end - 1] === CARRIAGE_RETURN ? end - 1 : end;
}
