import { growWasmMemory, instantiateWasm, type WasmMemory } from '../util/wasm.js';
import { type KeywordBucketPlan, WINDOW } from './keyword-buckets.js';
import { KEYWORD_SCAN_WASM } from './keyword-scan-wasm-module.js';

/**
 * The keyword search of keyword-scan.wat: sixteen text positions a step (see keyword-buckets.ts
 * for how), against 2-4 ns a character for the pair table of the JS scan. Null where
 * WebAssembly SIMD cannot run (`--jitless`); the scanner then keeps to its JS scan.
 */
export interface WasmKeywordFinder {
  /**
   * Every occurrence of the plan's keywords in the one-byte copy of `text` (the low byte of each
   * UTF-16 unit), as `[keyword, start, keyword, start, ...]`: a view into the module's memory,
   * valid until the next call. A character outside Latin-1 may read as an ASCII one there, so
   * the caller compares each hit with the text itself.
   */
  find(plan: WasmKeywordPlan, text: string): Int32Array;
}

/** A bucket plan with the keywords' folded codes, as the module reads them. */
export interface WasmKeywordPlan {
  readonly buckets: KeywordBucketPlan;
  /** Each keyword's folded ASCII codes, by keyword index. */
  readonly codes: readonly Uint8Array[];
}

interface ScanExports {
  memory: WasmMemory;
  scan(text: number, length: number, hits: number, capacity: number): number;
}

/** Node's Buffer has `latin1Write(text, offset)`, what `write(text, offset, 'latin1')` ends in; its types do not list it. */
export type Latin1Writable = Buffer & { latin1Write(text: string, offset: number): number };

/** Where the module's tables start (see keyword-scan.wat), and where the keywords' entries do. */
const MASKS_AT = 256;
const BUCKETS_AT = 512;
const ENTRIES_AT = 1024;
const ENTRY_BYTES = 32;
/** The module's last step reads up to 19 bytes from its start, which may be the text's last byte. */
const TEXT_PADDING = 32;
const FIRST_HIT_CAPACITY = 4096;

let finder: WasmKeywordFinder | null | undefined;

/** The finder of this thread, compiled on first use; null where WebAssembly SIMD cannot run. */
export function wasmKeywordFinder(): WasmKeywordFinder | null {
  if (finder === undefined) {
    const exports = instantiateWasm(KEYWORD_SCAN_WASM) as ScanExports | null;
    finder = exports === null ? null : new ModuleFinder(exports);
  }
  return finder;
}

class ModuleFinder implements WasmKeywordFinder {
  readonly #exports: ScanExports;
  /** The plan whose tables are in the module's memory now. */
  #loaded: WasmKeywordPlan | undefined;
  /** Where the loaded plan's tables end: the text goes there. */
  #textAt = ENTRIES_AT;
  #hitCapacity = FIRST_HIT_CAPACITY;
  #bytes: Latin1Writable;

  constructor(exports: ScanExports) {
    this.#exports = exports;
    this.#bytes = Buffer.from(exports.memory.buffer) as Latin1Writable;
    for (let byte = 0; byte < 256; byte++) this.#bytes[byte] = byte >= 65 && byte <= 90 ? byte | 32 : byte;
  }

  find(plan: WasmKeywordPlan, text: string): Int32Array {
    if (this.#loaded !== plan) this.#load(plan);
    for (;;) {
      const hitsAt = (this.#textAt + text.length + TEXT_PADDING + 7) & ~7;
      if (growWasmMemory(this.#exports.memory, hitsAt + this.#hitCapacity * 8)) {
        this.#bytes = Buffer.from(this.#exports.memory.buffer) as Latin1Writable;
      }
      this.#bytes.latin1Write(text, this.#textAt);
      const count = this.#exports.scan(this.#textAt, text.length, hitsAt, this.#hitCapacity);
      if (count >= 0) return new Int32Array(this.#exports.memory.buffer, hitsAt, count * 2);
      // More hits than room: rare (a text full of keywords); make room and scan again.
      this.#hitCapacity *= 2;
    }
  }

  #load(plan: WasmKeywordPlan): void {
    const { masks, buckets } = plan.buckets;
    const keywordCount = buckets.reduce((sum, bucket) => sum + bucket.length, 0);
    let codesAt = ENTRIES_AT + keywordCount * ENTRY_BYTES;
    const codesEnd = codesAt + plan.codes.reduce((sum, codes) => sum + codes.length, 0);
    if (growWasmMemory(this.#exports.memory, codesEnd)) {
      this.#bytes = Buffer.from(this.#exports.memory.buffer) as Latin1Writable;
    }
    const bytes = this.#bytes;
    const words = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    bytes.set(masks, MASKS_AT);
    const codeAddress: number[] = plan.codes.map((codes) => {
      bytes.set(codes, codesAt);
      codesAt += codes.length;
      return codesAt - codes.length;
    });
    let entryAt = ENTRIES_AT;
    buckets.forEach((bucket, index) => {
      words.setInt32(BUCKETS_AT + 8 * index, entryAt, true);
      for (const { keyword, offset } of bucket) {
        const codes = plan.codes[keyword] as Uint8Array;
        words.setInt32(entryAt, offset, true);
        words.setInt32(entryAt + 4, codes.length, true);
        words.setInt32(entryAt + 8, codeAddress[keyword] as number, true);
        words.setInt32(entryAt + 12, keyword, true);
        // The window as the module compares it, one byte a character (little-endian).
        let want = 0;
        let fold = 0;
        let keep = 0;
        for (let k = 0; k < WINDOW && offset + k < codes.length; k++) {
          const code = codes[offset + k] as number;
          want |= code << (8 * k);
          if (code >= 97 && code <= 122) fold |= 0x20 << (8 * k);
          keep |= 0xff << (8 * k);
        }
        words.setInt32(entryAt + 16, want, true);
        words.setInt32(entryAt + 20, fold, true);
        words.setInt32(entryAt + 24, keep, true);
        entryAt += ENTRY_BYTES;
      }
      words.setInt32(BUCKETS_AT + 8 * index + 4, entryAt, true);
    });
    // Sixteen-byte aligned, so that each step's first load is too.
    this.#textAt = (codesEnd + 15) & ~15;
    this.#loaded = plan;
  }
}
