import { escapedLength, escapeJsonBytes, MAX_ESCAPE_GROWTH } from './json-escape-bytes.js';
import { type WasmEscaper, type WellFormedCheck, wasmEscaper } from './json-escape-wasm.js';
import type { Utf8Chunks, Utf8Writable } from './utf8-chunks.js';

/**
 * Values holding more text than this (in UTF-16 units) are written piece by piece, so that
 * their long strings are escaped on bytes. Encoding the rows of 1,400 benchmark sessions
 * took about the same time with 512 to 8K here, and a fifth more with 32K.
 */
const LARGE_TEXT = 1 << 12;
/** A long string is escaped this many units at a time. */
const STRING_SLICE = 1 << 14;
/** The UTF-8 of one slice, at most 3 bytes per unit; reused, so the encoding lands in warm memory. */
const sliceBytes = Buffer.allocUnsafeSlow(STRING_SLICE * 3);
/** Deeper values are left to one `JSON.stringify` (which also reports a cycle as it always does). */
const MAX_DEPTH = 64;
/** {@link textSize} of a value that is not plain data. */
const NOT_PLAIN = -1;

const QUOTE = 0x22;
const COMMA = 0x2c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/**
 * Writes `JSON.stringify(value)` into `out`, byte for byte, without ever making the JSON of
 * a large value one string. The engine builds a `JSON.stringify` result from pieces joined
 * lazily, and encoding such a string copies it whole into fresh memory first (the engine's
 * large-object space, past 128 KB): for a long tool output that copy and its page faults
 * cost about as much as the escaping. So a large value is written member by member, and a
 * long string a slice at a time, escaped on its UTF-8 bytes (about twice as fast as the
 * engine's escaping, see json-escape-bytes.ts). Small values, and any value that is not
 * plain data (an object with `toJSON` or a prototype of its own), still go through one
 * `JSON.stringify`.
 * Returns false, writing nothing, where `JSON.stringify` gives undefined.
 */
export function writeJson(value: unknown, out: Utf8Chunks): boolean {
  const size = textSize(value, 0);
  if (size === NOT_PLAIN || size <= LARGE_TEXT) return writeWhole(value, out);
  writeInPieces(value, out);
  return true;
}

/** Writes `JSON.stringify(items)` for an array of plain type, always element by element. */
export function writeJsonArray(items: readonly unknown[], out: Utf8Chunks): void {
  writeItems(items, out, writeJson);
}

/**
 * Writes `JSON.stringify(object)` for a plain object, always member by member; the array
 * under `byElement`, if any, is always written element by element too (a row's messages).
 */
export function writeJsonObject(object: Record<string, unknown>, out: Utf8Chunks, byElement?: string): void {
  writeMembers(object, out, writeJson, byElement);
}

/** Writes one value; false, writing nothing, where `JSON.stringify` gives undefined. */
type ValueWriter = (value: unknown, out: Utf8Chunks) => boolean;

function writeWhole(value: unknown, out: Utf8Chunks): boolean {
  const json = JSON.stringify(value);
  if (json === undefined) return false;
  out.write(json);
  return true;
}

/** Writes a plain value of more than {@link LARGE_TEXT} units of text piece by piece. */
function writeInPieces(value: unknown, out: Utf8Chunks): void {
  if (typeof value === 'string') writeLongString(value, out);
  else if (Array.isArray(value)) writeItems(value, out, writePlain);
  else writeMembers(value as Record<string, unknown>, out, writePlain);
}

/**
 * Writes a part of a value already found to be plain data: it only needs to know whether the
 * part's text is large, and stops counting once it is (the full walk of {@link textSize} at
 * every level visited the leaves of a long message three or four times).
 */
function writePlain(value: unknown, out: Utf8Chunks): boolean {
  if (textLeft(value, LARGE_TEXT) >= 0) return writeWhole(value, out);
  writeInPieces(value, out);
  return true;
}

function writeItems(items: readonly unknown[], out: Utf8Chunks, write: ValueWriter): void {
  out.writeByte(OPEN_BRACKET);
  for (let i = 0; i < items.length; i += 1) {
    if (i > 0) out.writeByte(COMMA);
    // JSON.stringify writes `null` for an element it cannot represent.
    if (!write(items[i], out)) out.write('null');
  }
  out.writeByte(CLOSE_BRACKET);
}

function writeMembers(object: Record<string, unknown>, out: Utf8Chunks, write: ValueWriter, byElement?: string): void {
  out.writeByte(OPEN_BRACE);
  let first = true;
  for (const key of Object.keys(object)) {
    const item = object[key];
    // Left out, as JSON.stringify leaves them out.
    if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
    out.write(first ? `${JSON.stringify(key)}:` : `,${JSON.stringify(key)}:`);
    if (key === byElement && Array.isArray(item)) writeItems(item, out, write);
    else write(item, out);
    first = false;
  }
  out.writeByte(CLOSE_BRACE);
}

function writeLongString(text: string, out: Utf8Chunks): void {
  out.writeByte(QUOTE);
  // WebAssembly SIMD where the engine runs it (it finds lone surrogates itself), else four
  // bytes at a time in JS, which needs to know up front.
  const simd = wasmEscaper();
  const wellFormed = simd !== null || (text as WellFormedCheck).isWellFormed();
  for (let start = 0; start < text.length; ) {
    let end = Math.min(text.length, start + STRING_SLICE);
    // Never between the halves of a surrogate pair: each half alone would be escaped.
    if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
    const slice = text.slice(start, end);
    // A lone surrogate has no UTF-8 form, JSON.stringify writes it as \udXXX: such a rare
    // slice is left to JSON.stringify.
    if (!(wellFormed && writeEscapedBytes(slice, simd, out))) out.write(JSON.stringify(slice).slice(1, -1));
    start = end;
  }
  out.writeByte(QUOTE);
}

/**
 * Encodes a slice and writes it escaped (json-escape-wasm.ts, json-escape-bytes.ts); returns
 * false, writing nothing, when the SIMD escaper finds a lone surrogate in it.
 */
function writeEscapedBytes(slice: string, simd: WasmEscaper | null, out: Utf8Chunks): boolean {
  if (simd !== null) {
    const escaped = simd.escape(slice);
    if (escaped === undefined) return false;
    escaped.copy(out.room(escaped.length), out.offset);
    out.advance(escaped.length);
    return true;
  }
  const bytes = (sliceBytes as Utf8Writable).utf8Write(slice, 0);
  // Counting the escapes costs a pass; only near the end of a buffer is it worth it.
  const worst = bytes * MAX_ESCAPE_GROWTH;
  const target = out.room(out.spare >= worst ? worst : escapedLength(sliceBytes, bytes));
  out.advance(escapeJsonBytes(sliceBytes, bytes, target, out.offset) - out.offset);
  return true;
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

/**
 * The UTF-16 length of the strings in `value` (its text, give or take the keys), or
 * {@link NOT_PLAIN} when it holds anything but plain objects, arrays and primitives: only
 * plain data is written piece by piece, where this writer is sure to match `JSON.stringify`.
 */
function textSize(value: unknown, depth: number): number {
  if (typeof value === 'string') return value.length;
  if (typeof value !== 'object' || value === null) return 0;
  if (depth === MAX_DEPTH || 'toJSON' in value) return NOT_PLAIN;
  const prototype = Object.getPrototypeOf(value);
  if (prototype === Array.prototype) {
    let total = 0;
    for (const item of value as unknown[]) {
      const size = textSize(item, depth + 1);
      if (size === NOT_PLAIN) return NOT_PLAIN;
      total += size;
    }
    return total;
  }
  if (prototype !== Object.prototype && prototype !== null) return NOT_PLAIN;
  let total = 0;
  for (const key of Object.keys(value)) {
    const size = textSize((value as Record<string, unknown>)[key], depth + 1);
    if (size === NOT_PLAIN) return NOT_PLAIN;
    total += size;
  }
  return total;
}

/**
 * `budget` less the UTF-16 length of the strings in plain `value`, counted only until it falls
 * below zero (the value then holds more text than the budget).
 */
function textLeft(value: unknown, budget: number): number {
  if (typeof value === 'string') return budget - value.length;
  if (typeof value !== 'object' || value === null) return budget;
  let left = budget;
  if (Array.isArray(value)) {
    for (const item of value) {
      left = textLeft(item, left);
      if (left < 0) return left;
    }
    return left;
  }
  for (const key of Object.keys(value)) {
    left = textLeft((value as Record<string, unknown>)[key], left);
    if (left < 0) return left;
  }
  return left;
}
