import { instantiateWasm } from '../util/wasm.js';
import { JSON_ESCAPE_WASM } from './json-escape-wasm-module.js';

/**
 * JSON string escaping with WebAssembly SIMD (json-escape.wat): a string's UTF-16 units are
 * copied into the module as they are, and it writes the UTF-8 of their JSON, sixteen units a
 * step. On the long strings of the benchmark's rows (229 M characters, about half of them in
 * strings with characters beyond Latin-1), escaping took 170-200 ms this way against
 * 220-350 ms when Node encoded the string as UTF-8 and the module escaped the bytes: Node's
 * UTF-8 encoder is slow on such strings, copying their units is not. Where WebAssembly or its
 * SIMD is not available (`--jitless`, an embedder that forbids compiling WebAssembly),
 * {@link wasmEscaper} gives null and the caller keeps to json-escape-bytes.ts.
 */
export interface WasmEscaper {
  /**
   * What `JSON.stringify(text)` writes between its quotes, as UTF-8, for `text` of at most
   * {@link WASM_ESCAPE_MAX_UNITS} units, lone surrogates included (as `\udXXX`). The result is a
   * view into the module's memory, valid until the next call.
   */
  escape(text: string): Buffer;
}

/** The longest text one {@link WasmEscaper.escape} takes, in UTF-16 units. */
export const WASM_ESCAPE_MAX_UNITS = 1 << 14;

/** Where the UTF-16 input sits in the module's memory (2 bytes per unit); the output follows it. */
const INPUT_AT = 1024;
const INPUT_BYTES = WASM_ESCAPE_MAX_UNITS * 2;
const OUTPUT_AT = INPUT_AT + INPUT_BYTES;
/** Each unit may become 6 bytes (`\u00XX`, `\udXXX`), and the module stores a block of 16 whole before it knows what it keeps. */
const OUTPUT_BYTES = WASM_ESCAPE_MAX_UNITS * 6 + 16;

interface EscapeExports {
  memory: { buffer: ArrayBuffer };
  escape(src: number, units: number, dst: number): number;
}

/** Node's Buffer has `ucs2Write(text, offset)`, what `write(text, offset, 'utf16le')` ends in; its types do not list it. */
type Ucs2Writable = Buffer & { ucs2Write(text: string, offset: number): number };

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
  const input = Buffer.from(memory, INPUT_AT, INPUT_BYTES) as Ucs2Writable;
  const output = Buffer.from(memory, OUTPUT_AT, OUTPUT_BYTES);
  return {
    escape(text: string): Buffer {
      // Longer text would not fit the input, and ucs2Write would cut it short without a word.
      if (text.length > WASM_ESCAPE_MAX_UNITS) {
        throw new RangeError(`cannot escape ${text.length} units at once, at most ${WASM_ESCAPE_MAX_UNITS}`);
      }
      input.ucs2Write(text, 0);
      return output.subarray(0, exports.escape(INPUT_AT, text.length, OUTPUT_AT) - OUTPUT_AT);
    },
  };
}
