import { growWasmMemory, instantiateWasm, type WasmMemory } from '../util/wasm.js';
import { UTF8_DECODE_WASM } from './utf8-decode-wasm-module.js';

/**
 * Decodes a line of UTF-8 into a string, as `buffer.toString('utf8', start, end)` does. A
 * line that is not all ASCII is transcoded to UTF-16 by WebAssembly SIMD (utf8-decode.wat) and
 * made a string from those units: on the benchmark's lines with a few characters beyond ASCII,
 * Node's own UTF-8 decoder took about 3.7 ns a byte. An ASCII line becomes a one-byte string
 * straight from its bytes. Lines that are not well-formed UTF-8 (Node's decoder puts U+FFFD in
 * place of their bad bytes) and lines the module does not take (under 256 bytes, over a
 * million) go to Node's decoder as before.
 */

/** Node's Buffer methods behind `toString(encoding, start, end)`, without its argument handling; its types do not list them. */
type SliceableBuffer = Buffer & {
  utf8Slice(start: number, end: number): string;
  latin1Slice(start: number, end: number): string;
  ucs2Slice(start: number, end: number): string;
};

/** Shorter lines cost less to decode than to copy into the module. */
const TRANSCODE_FROM = 256;
/**
 * Longer lines go to the engine: Node makes a string of a million UTF-16 units or more an
 * external one, memory outside the engine's heap that hastens its collections.
 */
const TRANSCODE_UP_TO = 1_000_000;
/** The module's output goes at most this far past a block of 16 it stores whole (see the .wat). */
const OUTPUT_SLACK = 32;
/** The input's room in the module's first page (three times it, with the slack, fits in 64 KiB). */
const FIRST_INPUT_ROOM = 16384;

interface DecodeExports {
  memory: WasmMemory;
  toUtf16(src: number, length: number, dst: number): number;
}

/** The module and views of its memory: input at 0, `inputRoom` bytes; the UTF-16 output after it. */
interface Transcoder {
  exports: DecodeExports;
  inputRoom: number;
  input: Buffer;
  output: SliceableBuffer;
}

let transcoder: Transcoder | null | undefined;

/** Decoded text, and whether its bytes were found to be well-formed UTF-8 on the way. */
export interface DecodedText {
  text: string;
  /** True when the bytes were checked and are UTF-8 (any U+FFFD in `text` was in them); false when not checked or not UTF-8. */
  knownWellFormed: boolean;
}

/** `bytes[start, end)` decoded as UTF-8, exactly as `bytes.toString('utf8', start, end)` decodes it. */
export function decodeUtf8(bytes: Buffer, start: number, end: number): DecodedText {
  const length = end - start;
  if (length < TRANSCODE_FROM || length > TRANSCODE_UP_TO) return byNode(bytes, start, end);
  if (transcoder === undefined) transcoder = instantiate();
  if (transcoder === null) return byNode(bytes, start, end);
  const module = transcoder.inputRoom >= length ? transcoder : grow(transcoder, length);
  bytes.copy(module.input, 0, start, end);
  const units = module.exports.toUtf16(0, length, module.inputRoom);
  // As many units as bytes: all ASCII, which the engine keeps one byte a character.
  if (units === length) return { text: (bytes as SliceableBuffer).latin1Slice(start, end), knownWellFormed: true };
  if (units < 0) return byNode(bytes, start, end);
  return { text: module.output.ucs2Slice(0, units * 2), knownWellFormed: true };
}

function byNode(bytes: Buffer, start: number, end: number): DecodedText {
  return { text: (bytes as SliceableBuffer).utf8Slice(start, end), knownWellFormed: false };
}

function instantiate(): Transcoder | null {
  const exports = instantiateWasm(UTF8_DECODE_WASM) as DecodeExports | null;
  if (exports === null) return null;
  return views(exports, FIRST_INPUT_ROOM);
}

function views(exports: DecodeExports, inputRoom: number): Transcoder {
  const memory = exports.memory.buffer;
  return {
    exports,
    inputRoom,
    input: Buffer.from(memory, 0, inputRoom),
    output: Buffer.from(memory, inputRoom, inputRoom * 2 + OUTPUT_SLACK) as SliceableBuffer,
  };
}

/** Grows the memory so that a line of `length` bytes fits, doubling the input's room. */
function grow(current: Transcoder, length: number): Transcoder {
  let room = current.inputRoom;
  while (room < length) room *= 2;
  growWasmMemory(current.exports.memory, room * 3 + OUTPUT_SLACK);
  transcoder = views(current.exports, room);
  return transcoder;
}
