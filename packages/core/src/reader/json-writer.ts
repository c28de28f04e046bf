import { escapedLength, escapeJsonBytes, MAX_ESCAPE_GROWTH } from './json-escape-bytes.js';
import { WASM_ESCAPE_MAX_UNITS, type WasmEscaper, wasmEscaper } from './json-escape-wasm.js';
import type { Utf8Chunks, Utf8Writable } from './utf8-chunks.js';

/**
 * Strings at least this long are escaped by the SIMD escaper; shorter ones by
 * `JSON.stringify`, which costs less to call than the escaper on a few characters.
 */
const SIMD_ESCAPE_FROM = 64;
/**
 * Without the SIMD escaper, strings at least this long are escaped on bytes in JS (about twice
 * as fast as the engine), shorter ones by `JSON.stringify`.
 */
const JS_ESCAPE_FROM = 1 << 12;
/** A long string is escaped this many units at a time, as many as the SIMD escaper takes at once. */
const STRING_SLICE = WASM_ESCAPE_MAX_UNITS;
/** The UTF-8 of one slice, at most 3 bytes per unit; reused, so the encoding lands in warm memory. */
const sliceBytes = Buffer.allocUnsafeSlow(STRING_SLICE * 3);
/** Deeper values are left to one `JSON.stringify` (which also reports a cycle as it always does). */
const MAX_DEPTH = 64;
/** The keys' JSON (`"key":`) kept for reuse as UTF-8: rows repeat a few dozen keys millions of times. */
const KEY_TEXTS_KEPT = 4096;
/** Longer keys are not kept: data may hold keys of any length, the rows' own are short. */
const KEY_KEPT_UP_TO = 64;
const keyBytes = new Map<string, Buffer>();

/** `String.prototype.isWellFormed` (Node 20), which TypeScript's ES2023 library does not list. */
type WellFormedCheck = string & { isWellFormed(): boolean };

const QUOTE = 0x22;
const COMMA = 0x2c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/** What {@link writeValue} did: wrote the value, wrote nothing (JSON leaves it out), or met data that is not plain and stopped. */
const WRITTEN = 0;
const LEFT_OUT = 1;
const NOT_PLAIN = 2;
type Outcome = typeof WRITTEN | typeof LEFT_OUT | typeof NOT_PLAIN;

/**
 * Writes `JSON.stringify(value)` into `out`, byte for byte, without making the JSON of the
 * value one string. Plain data (plain objects, arrays and primitives) is walked here: each
 * string of 64 characters or more is escaped and encoded by WebAssembly SIMD, several
 * times faster than the engine's escaping on the benchmark's messages (see
 * json-escape-wasm.ts), and a long one a slice at a time, so that its JSON is never one
 * string either (the engine would copy such a string whole into fresh memory to encode it).
 * Short strings go through `JSON.stringify`, and keys too the first time (then their JSON is
 * kept as bytes).
 * A value that holds anything else (an object with `toJSON` or a prototype of its own) goes
 * through one `JSON.stringify`, where this writer could not be sure to match it: found on the
 * way, what was written of the value is dropped first (rows are plain data, so checking
 * every value before writing it cost a second walk of every row).
 * Returns false, writing nothing, where `JSON.stringify` gives undefined.
 */
export function writeJson(value: unknown, out: Utf8Chunks): boolean {
  const start = out.length;
  const outcome = writeValue(value, out, 0);
  if (outcome !== NOT_PLAIN) return outcome === WRITTEN;
  out.rewind(start);
  return writeWhole(value, out);
}

function writeWhole(value: unknown, out: Utf8Chunks): boolean {
  const json = JSON.stringify(value);
  if (json === undefined) return false;
  out.write(json);
  return true;
}

/**
 * Writes plain data; stops at the first object that is not (an object with `toJSON`, a
 * prototype other than Object's or Array's, deeper than {@link MAX_DEPTH}): the caller
 * then drops what was written and leaves the whole value to `JSON.stringify`.
 */
function writeValue(value: unknown, out: Utf8Chunks, depth: number): Outcome {
  switch (typeof value) {
    case 'string':
      writeString(value, out);
      return WRITTEN;
    case 'number':
      // The same digits as JSON.stringify; NaN and the infinities are null in JSON.
      out.write(Number.isFinite(value) ? String(value) : 'null');
      return WRITTEN;
    case 'boolean':
      out.write(value ? 'true' : 'false');
      return WRITTEN;
    case 'object': {
      if (value === null) {
        out.write('null');
        return WRITTEN;
      }
      if (depth === MAX_DEPTH || 'toJSON' in value) return NOT_PLAIN;
      const prototype = Object.getPrototypeOf(value);
      if (prototype === Array.prototype) return writeItems(value as unknown[], out, depth + 1);
      if (prototype !== Object.prototype && prototype !== null) return NOT_PLAIN;
      return writeMembers(value as Record<string, unknown>, out, depth + 1);
    }
    default:
      // undefined, a function or a symbol: nothing; a bigint: the TypeError JSON.stringify throws.
      return writeWhole(value, out) ? WRITTEN : LEFT_OUT;
  }
}

function writeItems(items: readonly unknown[], out: Utf8Chunks, depth: number): Outcome {
  out.writeByte(OPEN_BRACKET);
  for (let i = 0; i < items.length; i += 1) {
    if (i > 0) out.writeByte(COMMA);
    const outcome = writeValue(items[i], out, depth);
    if (outcome === NOT_PLAIN) return NOT_PLAIN;
    // JSON.stringify writes `null` for an element it cannot represent.
    if (outcome === LEFT_OUT) out.write('null');
  }
  out.writeByte(CLOSE_BRACKET);
  return WRITTEN;
}

function writeMembers(object: Record<string, unknown>, out: Utf8Chunks, depth: number): Outcome {
  out.writeByte(OPEN_BRACE);
  let first = true;
  for (const key of Object.keys(object)) {
    const item = object[key];
    // Left out, as JSON.stringify leaves them out.
    if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
    if (!first) out.writeByte(COMMA);
    writeKey(key, out);
    if (writeValue(item, out, depth) === NOT_PLAIN) return NOT_PLAIN;
    first = false;
  }
  out.writeByte(CLOSE_BRACE);
  return WRITTEN;
}

/** `"key":`, as JSON.stringify writes a key. */
function writeKey(key: string, out: Utf8Chunks): void {
  const kept = keyBytes.get(key);
  if (kept !== undefined) {
    out.writeBytes(kept);
    return;
  }
  const text = `${JSON.stringify(key)}:`;
  if (key.length <= KEY_KEPT_UP_TO && keyBytes.size < KEY_TEXTS_KEPT) keyBytes.set(key, Buffer.from(text, 'utf8'));
  out.write(text);
}

function writeString(text: string, out: Utf8Chunks): void {
  const simd = wasmEscaper();
  if (text.length < (simd === null ? JS_ESCAPE_FROM : SIMD_ESCAPE_FROM)) {
    out.write(JSON.stringify(text));
    return;
  }
  writeEscapedString(text, simd, out);
}

/** Writes a string escaped, {@link STRING_SLICE} units at a time (one slice for most). */
function writeEscapedString(text: string, simd: WasmEscaper | null, out: Utf8Chunks): void {
  out.writeByte(QUOTE);
  // Without WebAssembly, the escaping is done on UTF-8, which cannot hold a lone surrogate:
  // such rare text is left to JSON.stringify, which writes it as \udXXX.
  const onBytes = simd === null && (text as WellFormedCheck).isWellFormed();
  for (let start = 0; start < text.length; ) {
    let end = Math.min(text.length, start + STRING_SLICE);
    // Never between the halves of a surrogate pair: each half alone would be escaped.
    if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
    const slice = text.slice(start, end);
    if (simd !== null) out.writeBytes(simd.escape(slice));
    else if (onBytes) writeEscapedBytes(slice, out);
    else out.write(JSON.stringify(slice).slice(1, -1));
    start = end;
  }
  out.writeByte(QUOTE);
}

/** Encodes a well-formed slice and writes it escaped, four bytes at a time in JS (json-escape-bytes.ts). */
function writeEscapedBytes(slice: string, out: Utf8Chunks): void {
  const bytes = (sliceBytes as Utf8Writable).utf8Write(slice, 0);
  // Counting the escapes costs a pass; only near the end of a buffer is it worth it.
  const worst = bytes * MAX_ESCAPE_GROWTH;
  const target = out.room(out.spare >= worst ? worst : escapedLength(sliceBytes, bytes));
  out.advance(escapeJsonBytes(sliceBytes, bytes, target, out.offset) - out.offset);
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}
