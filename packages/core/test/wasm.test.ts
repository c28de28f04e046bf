import { afterEach, describe, expect, it, vi } from 'vitest';
import { JSON_ESCAPE_WASM } from '../src/reader/json-escape-wasm-module.js';
import { growWasmMemory, instantiateWasm, WASM_PAGE_BYTES, type WasmMemory } from '../src/util/wasm.js';

describe('instantiateWasm', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('gives the exports of a module shipped as base64', () => {
    const exports = instantiateWasm(JSON_ESCAPE_WASM);
    expect(Object.keys(exports ?? {}).sort()).toEqual(['escape', 'memory']);
  });

  it('gives null for bytes that are not a module this engine can run', () => {
    expect(instantiateWasm(Buffer.from('not WebAssembly').toString('base64'))).toBeNull();
  });

  it('gives null where there is no WebAssembly (node --jitless)', () => {
    vi.stubGlobal('WebAssembly', undefined);
    expect(instantiateWasm(JSON_ESCAPE_WASM)).toBeNull();
  });

  it('gives null where compiling WebAssembly is forbidden, and lets other errors through', () => {
    const real = (globalThis as unknown as { WebAssembly: { CompileError: new (message: string) => Error } }).WebAssembly;
    const refusing = (error: Error) => ({
      ...real,
      validate: () => true,
      CompileError: real.CompileError,
      Module: class {
        constructor() {
          throw error;
        }
      },
    });
    vi.stubGlobal('WebAssembly', refusing(new real.CompileError('WebAssembly.Module(): Wasm code generation disallowed by embedder')));
    expect(instantiateWasm(JSON_ESCAPE_WASM)).toBeNull();
    vi.stubGlobal('WebAssembly', refusing(new RangeError('out of memory')));
    expect(() => instantiateWasm(JSON_ESCAPE_WASM)).toThrow(RangeError);
  });
});

describe('growWasmMemory', () => {
  it('adds the pages that a size needs, and nothing when it already fits', () => {
    const { memory } = instantiateWasm(JSON_ESCAPE_WASM) as { memory: WasmMemory };
    const start = memory.buffer.byteLength;
    const before = memory.buffer;
    expect(growWasmMemory(memory, start)).toBe(false);
    expect(memory.buffer).toBe(before);
    expect(growWasmMemory(memory, start + 1)).toBe(true);
    expect(memory.buffer.byteLength).toBe(start + WASM_PAGE_BYTES);
    expect(growWasmMemory(memory, start + 3 * WASM_PAGE_BYTES + 10)).toBe(true);
    expect(memory.buffer.byteLength).toBe(start + 4 * WASM_PAGE_BYTES);
  });
});
