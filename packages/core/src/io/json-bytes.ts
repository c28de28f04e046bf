/**
 * Helpers for reading JSON structure straight from a line's UTF-8 bytes, for scans that pick
 * a few values out of a line without decoding or parsing it (the JSONL reader's member
 * skipper, Claude Code's parse context scan). Quotes, backslashes, brackets and whitespace
 * are ASCII, and no byte of a multi-byte UTF-8 character is ASCII, so they read the same in
 * the bytes as in the decoded text.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
/** A string that has not ended after this many bytes is searched with `indexOf`. */
const SHORT_STRING = 32;

/** The index of the first byte from `at` that is not JSON whitespace, or `end`. */
export function skipJsonSpace(bytes: Buffer, at: number, end: number): number {
  let i = at;
  while (i < end) {
    const c = bytes[i] as number;
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i += 1;
    else break;
  }
  return i;
}

/**
 * The index of the quote that closes a JSON string whose contents start at `from` (just past
 * its opening quote), or -1 when it does not close before `end`.
 */
export function jsonStringEnd(bytes: Buffer, from: number, end: number): number {
  let i = from;
  for (;;) {
    // Most strings (keys, ids, short values) end within a few bytes: a loop here is cheaper
    // than a call out of the engine, which pays off only to jump over long text.
    const stop = Math.min(end, i + SHORT_STRING);
    while (i < stop && bytes[i] !== QUOTE) i += 1;
    if (i === stop) {
      if (stop === end) return -1;
      i = bytes.indexOf(QUOTE, stop);
      if (i === -1 || i >= end) return -1;
    }
    // An odd run of backslashes escapes the quote; the opening quote ends the run.
    let backslashes = 0;
    while (bytes[i - 1 - backslashes] === BACKSLASH) backslashes += 1;
    if ((backslashes & 1) === 0) return i;
    i += 1;
  }
}
