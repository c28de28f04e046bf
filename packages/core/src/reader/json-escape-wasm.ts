import { instantiateWasm } from '../util/wasm.js';
import { JSON_ESCAPE_WASM } from './json-escape-wasm-module.js';
import type { Utf8Writable } from './utf8-chunks.js';

/**
 * JSON string escaping on UTF-8 bytes with WebAssembly SIMD (json-escape.wat): the same bytes
 * as `escapeJsonBytes`, sixteen input bytes per step instead of four. On the benchmark's tool
 * outputs, encoding and escaping 217 M characters took 190-280 ms this way against 560-650 ms
 * with json-escape-bytes.ts. Where WebAssembly or its SIMD is not available (`--jitless`, an
 * embedder that forbids compiling WebAssembly), {@link wasmEscaper} gives null and the caller keeps
 * to json-escape-bytes.ts.
 */
export interface WasmEscaper {
  /**
   * What `JSON.stringify(text)` writes between its quotes, as UTF-8, for `text` of at most
   * {@link WASM_ESCAPE_MAX_UNITS} units; undefined when `text` holds a lone surrogate, which
   * UTF-8 cannot hold (`JSON.stringify` writes it as `\udXXX`). The result is a view into the
   * module's memory, valid until the next call.
   */
  escape(text: string): Buffer | undefined;
}

/** The longest text one {@link WasmEscaper.escape} takes, in UTF-16 units. */
export const WASM_ESCAPE_MAX_UNITS = 1 << 14;

/** Where the UTF-8 input sits in the module's memory (at most 3 bytes per unit); the output follows it. */
const INPUT_AT = 1024;
const INPUT_BYTES = WASM_ESCAPE_MAX_UNITS * 3;
const OUTPUT_AT = INPUT_AT + INPUT_BYTES;
/** Each byte may become 6 (`\u00XX`), and the module stores a block of 16 whole before it knows what it keeps. */
const OUTPUT_BYTES = INPUT_BYTES * 6 + 16;

interface EscapeExports {
  memory: { buffer: ArrayBuffer };
  /** 1 when the last `escape`'s input held a byte 0xEF, else 0. */
  sawEF: { value: number };
  escape(src: number, length: number, dst: number): number;
}

/** `String.prototype.isWellFormed` (Node 20), which TypeScript's ES2023 library does not list. */
export type WellFormedCheck = string & { isWellFormed(): boolean };

let escaper: WasmEscaper | null | undefined;

/** The escaper of this thread, compiled on first use; null where WebAssembly SIMD cannot run. */
export function wasmEscaper(): WasmEscaper | null {
  if (escaper === undefined) escaper = instantiate();
  return escaper;
}

function instantiate(): WasmEscaper | null {
  const exports = instantiateWasm(JSON_ESCAPE_WASM) as EscapeExports | null;
  if (exports === null) return null;
  const memory = exports.memory.buffer;
  if (memory.byteLength < OUTPUT_AT + OUTPUT_BYTES) throw new Error('json-escape.wat: its memory is smaller than the escaper needs');
  const input = Buffer.from(memory, INPUT_AT, INPUT_BYTES) as Utf8Writable;
  const output = Buffer.from(memory, OUTPUT_AT, OUTPUT_BYTES);
  return {
    escape(text: string): Buffer | undefined {
      // Longer text would not fit the input, and utf8Write would cut it short without a word.
      if (text.length > WASM_ESCAPE_MAX_UNITS) {
        throw new RangeError(`cannot escape ${text.length} units at once, at most ${WASM_ESCAPE_MAX_UNITS}`);
      }
      const length = input.utf8Write(text, 0);
      const end = exports.escape(INPUT_AT, length, OUTPUT_AT);
      // Node encodes a lone surrogate as U+FFFD (EF BF BD): only input with a byte 0xEF can
      // hide one, so only such text is checked (checking every long string was 1.7% of the
      // instructions of an ingest).
      if (exports.sawEF.value !== 0 && !(text as WellFormedCheck).isWellFormed()) return undefined;
      return output.subarray(0, end - OUTPUT_AT);
    },
  };
}
