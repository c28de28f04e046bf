/**
 * Loads a WebAssembly module shipped as base64 text (a package then needs no binary file, and
 * its build no WebAssembly compiler). Core's escaper, line decoder and redaction keyword search
 * and the Claude Code format's line scan use it; a format package can too, and keep a plain JS
 * path for where it gives null.
 */

/** The memory a module exports. */
export interface WasmMemory {
  /** Detached and replaced whenever the memory grows: take views again after {@link WasmMemory.grow}. */
  readonly buffer: ArrayBuffer;
  /** Adds `pages` pages of 64 KiB; returns the previous count of pages. */
  grow(pages: number): number;
}

/** The part of the WebAssembly API used here: neither TypeScript's ES library nor Node 20's types declare it. */
interface WebAssemblyApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
  CompileError: new () => Error;
}

/** The size of a WebAssembly memory page. */
export const WASM_PAGE_BYTES = 65536;

/**
 * The exports of the module in `base64`, instantiated without imports; null where it cannot
 * run: no WebAssembly (`node --jitless`), an engine without a feature the module uses (it does
 * not validate), or an embedder that forbids compiling WebAssembly.
 */
export function instantiateWasm(base64: string): Record<string, unknown> | null {
  const wasm = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
  if (wasm === undefined) return null;
  const bytes = Buffer.from(base64, 'base64');
  if (!wasm.validate(bytes)) return null;
  try {
    return new wasm.Instance(new wasm.Module(bytes)).exports as Record<string, unknown>;
  } catch (error) {
    if (error instanceof wasm.CompileError) return null;
    throw error;
  }
}

/**
 * Grows `memory` so that it holds at least `bytes` bytes. Returns whether it grew: then its
 * `buffer` is a new one, and views of the old one must be taken again.
 */
export function growWasmMemory(memory: WasmMemory, bytes: number): boolean {
  const have = memory.buffer.byteLength;
  if (bytes <= have) return false;
  memory.grow(Math.ceil((bytes - have) / WASM_PAGE_BYTES));
  return true;
}
