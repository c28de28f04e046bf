import { readLineChunks } from '@agent-rollout/core';

/**
 * Receives one line: its bytes are `bytes[start, end)` and, one character per byte (Latin-1),
 * `text.slice(start, end)`; ASCII reads the same either way. `terminated` is false for a last
 * line without a newline. Both views are only valid during the call.
 */
export type RawLineVisitor = (text: string, start: number, end: number, bytes: Buffer, terminated: boolean) => void;

/** Node's Buffer has `latin1Slice(start, end)`, what `toString('latin1', ...)` ends in; its types do not list it. */
type Latin1Sliceable = Buffer & { latin1Slice(start: number, end: number): string };

const CARRIAGE_RETURN = 0x0d;

/**
 * Visits the lines of a file without decoding them as UTF-8 one by one: each chunk of whole
 * lines (core's `readLineChunks`) becomes one Latin-1 string (a plain copy of its bytes) in
 * which lines are ranges. A scan that looks only at ASCII structure (quotes, brackets, ids)
 * reads that string as it would the decoded line, without a string per line. A trailing
 * `\r` is left out of a line.
 */
export async function visitRawLines(filePath: string, signal: AbortSignal | undefined, visit: RawLineVisitor): Promise<void> {
  for await (const bytes of readLineChunks(filePath, signal ? { signal } : {})) {
    const text = (bytes as Latin1Sliceable).latin1Slice(0, bytes.length);
    let start = 0;
    for (let newline = text.indexOf('\n', start); newline !== -1; newline = text.indexOf('\n', start)) {
      visit(text, start, lineEnd(bytes, start, newline), bytes, true);
      start = newline + 1;
    }
    // Only the last chunk of a file that does not end with a newline has bytes left.
    if (start < bytes.length) visit(text, start, lineEnd(bytes, start, bytes.length), bytes, false);
  }
  // The event loop gets a turn after every file, however short.
  await new Promise((resolve) => setImmediate(resolve));
}

/** Where a line that ends before `end` stops once a trailing `\r` is left out. */
function lineEnd(bytes: Buffer, start: number, end: number): number {
  return end > start && bytes[end - 1] === CARRIAGE_RETURN ? end - 1 : end;
}
