import { describe, expect, it } from 'vitest';
import { bytesToHandOver } from '../src/reader/bytes-to-hand-over.js';

const MiB = 1 << 20;

/** `used` bytes of a pattern at the start of a buffer of `size` bytes, as the row encoder leaves them. */
function written(used: number, size: number): Uint8Array {
  const buffer = Buffer.allocUnsafeSlow(size);
  for (let i = 0; i < used; i += 1) buffer[i] = i % 251;
  return buffer.subarray(0, used);
}

describe('bytesToHandOver', () => {
  it('copies a small output out of its large buffer into one of its own size', () => {
    const bytes = written(100_000, MiB);
    const handed = bytesToHandOver(bytes);
    expect(handed).not.toBe(bytes);
    expect(handed.byteOffset).toBe(0);
    expect(handed.buffer.byteLength).toBe(100_000);
    expect(Buffer.from(handed).equals(Buffer.from(bytes))).toBe(true);
    expect(handed.buffer).not.toBeInstanceOf(SharedArrayBuffer);
  });

  it('copies an empty output too, so nothing of the large buffer is handed over', () => {
    expect(bytesToHandOver(written(0, MiB)).buffer.byteLength).toBe(0);
  });

  it('hands over as they are bytes that fill more than half their buffer, or more than 1 MiB', () => {
    for (const bytes of [written(700_000, MiB), written(3_000_000, 4 * MiB), written(2_000, 2_000)]) {
      expect(bytesToHandOver(bytes)).toBe(bytes);
    }
  });
});
