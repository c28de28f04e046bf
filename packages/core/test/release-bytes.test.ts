import { setImmediate as nextTurn } from 'node:timers/promises';
import { encodeRows, releaseBytes } from '@agent-rollout/core';
import { describe, expect, it } from 'vitest';
import { rowWith, text } from './sinks/rows.js';

const MiB = 1 << 20;

/** Bytes of ArrayBuffers alive in this process, as Node counts them. */
function arrayBufferBytes(): number {
  return process.memoryUsage().arrayBuffers;
}

describe('releaseBytes', () => {
  it('frees the memory of large buffers on the next turn, without waiting for a collection', async () => {
    const before = arrayBufferBytes();
    const buffers = Array.from({ length: 64 }, () => Buffer.allocUnsafeSlow(2 * MiB).fill(7));
    expect(arrayBufferBytes() - before).toBeGreaterThanOrEqual(120 * MiB);
    for (const buffer of buffers) releaseBytes(buffer);
    await nextTurn();
    await nextTurn();
    // The views are kept alive here, so only the release can have freed their memory.
    expect(buffers.every((buffer) => buffer.byteLength === 0)).toBe(true);
    expect(arrayBufferBytes() - before).toBeLessThan(16 * MiB);
  });

  it('releases the bytes of an encoded batch, the use it is made for', () => {
    const encoded = encodeRows([rowWith('r', [{ role: 'user', content: text('hello') }])]);
    expect(encoded.jsonl.byteLength).toBeGreaterThan(0);
    releaseBytes(encoded.jsonl);
    expect(encoded.jsonl.byteLength).toBe(0);
  });

  it('releases a small buffer the view spans whole, such as the exact-size bytes of a small batch', () => {
    const small = Buffer.allocUnsafeSlow(1000).fill(3);
    releaseBytes(small);
    expect(small.byteLength).toBe(0);
  });

  it('leaves pool slices, parts of small buffers and shared memory as they are', () => {
    const slice = Buffer.from('a slice of the shared pool');
    const part = Buffer.allocUnsafeSlow(MiB - 1)
      .fill(1)
      .subarray(1);
    const shared = new Uint8Array(new SharedArrayBuffer(2 * MiB)).fill(2);
    for (const bytes of [slice, part, shared]) releaseBytes(bytes);
    expect(slice.toString()).toBe('a slice of the shared pool');
    expect(part.byteLength).toBe(MiB - 2);
    expect(part[0]).toBe(1);
    expect(shared.byteLength).toBe(2 * MiB);
    expect(shared[0]).toBe(2);
  });

  it('does nothing to bytes already released', () => {
    const buffer = Buffer.allocUnsafeSlow(2 * MiB);
    releaseBytes(buffer);
    expect(() => releaseBytes(buffer)).not.toThrow();
  });
});
