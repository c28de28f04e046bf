import type { LineFields } from './line-fields.js';
import { scanLineFieldsInJs } from './line-scan-js.js';
import { WASM_SCAN_MAX_BYTES, wasmLineScanner } from './line-scan-wasm.js';

export type { LineFields } from './line-fields.js';

/**
 * The context fields of the line `bytes[lineStart, lineEnd)`, or undefined when the line must
 * be parsed in full (see line-scan-js.ts for what the scan reads and when it gives up). The
 * WebAssembly scan where it runs, for lines of up to 8 MiB; the JS scan otherwise, with the
 * same result. The object returned is reused by the next call.
 */
export function scanLineFields(bytes: Buffer, lineStart: number, lineEnd: number): LineFields | undefined {
  const inWasm = wasmLineScanner();
  if (inWasm !== null && lineEnd - lineStart <= WASM_SCAN_MAX_BYTES) return inWasm(bytes, lineStart, lineEnd);
  return scanLineFieldsInJs(bytes, lineStart, lineEnd);
}
