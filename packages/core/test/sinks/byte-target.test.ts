import { readdir, readFile } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { openAtomicFile, openByteTarget } from '@agent-rollout/core';
import { describe, expect, it } from 'vitest';
import { useTempFiles } from '../helpers/temp-files.js';

const { pathOf } = useTempFiles('byte-target-');

/** Chunks of every size class the target handles: a few bytes, many kilobytes, over a megabyte. */
function chunks(): Buffer[] {
  const sizes = [3, 70_000, 1, 400_000, 900_000, 1_500_000, 12, 1 << 20, 250_000, 5];
  return sizes.map((size, i) => Buffer.alloc(size, 0x61 + i));
}

describe('openAtomicFile', () => {
  it('writes chunks of any size in order, and publishes only on commit', async () => {
    const target = await openAtomicFile(pathOf('ordered.bin'));
    const parts = chunks();
    for (const part of parts) await target.write(part);
    await target.write('and text\n');
    expect(await readdir(pathOf('.'))).not.toContain('ordered.bin');
    await target.commit();
    const expected = Buffer.concat([...parts, Buffer.from('and text\n')]);
    expect((await readFile(pathOf('ordered.bin'))).equals(expected)).toBe(true);
    expect(target.bytes).toBe(expected.length);
  });

  it('keeps the order of writes a caller does not wait for', async () => {
    const target = await openAtomicFile(pathOf('unawaited.bin'));
    const parts = chunks();
    const pending: Promise<void>[] = [];
    const expected: Buffer[] = [];
    for (let i = 0; i < 300; i += 1) {
      const small = Buffer.alloc(10, 0x30 + (i % 10));
      pending.push(target.write(small));
      expected.push(small);
      if (i % 50 === 0) {
        const big = parts[(i / 50) % parts.length] as Buffer;
        pending.push(target.write(big));
        expected.push(big);
      }
    }
    pending.push(target.commit());
    await Promise.all(pending);
    expect((await readFile(pathOf('unawaited.bin'))).equals(Buffer.concat(expected))).toBe(true);
  });

  it('lets the caller reuse its buffer once a write has settled', async () => {
    const target = await openAtomicFile(pathOf('reused.bin'));
    const reused = Buffer.alloc(1000);
    for (let i = 0; i < 3000; i += 1) {
      reused.fill(0x30 + (i % 10));
      await target.write(reused);
    }
    await target.commit();
    const written = await readFile(pathOf('reused.bin'));
    expect(written.length).toBe(3_000_000);
    for (let i = 0; i < 3000; i += 1) expect(written[i * 1000 + 999]).toBe(0x30 + (i % 10));
  });
});

describe('openByteTarget to a stream', () => {
  /** A stream that takes its time with each chunk, and reads the chunk only then. */
  function slowStream(): { stream: Writable; received: Buffer[] } {
    const received: Buffer[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        setTimeout(() => {
          received.push(Buffer.from(chunk));
          callback();
        }, 5);
      },
    });
    return { stream, received };
  }

  it('settles a write only once the stream has taken the chunk, so the buffer may be reused', async () => {
    const { stream, received } = slowStream();
    const target = await openByteTarget({ stream });
    const buffer = Buffer.from('first chunk\n');
    await target.write(buffer);
    buffer.fill('x');
    await target.write('second\n');
    expect(Buffer.concat(received).toString('utf8')).toBe('first chunk\nsecond\n');
    expect(target.bytes).toBe(19);
  });

  it('rejects a write the stream fails, naming the output stream', async () => {
    const stream = new Writable({
      write(_chunk, _encoding, callback) {
        callback(new Error('disk on fire'));
      },
    });
    const target = await openByteTarget({ stream });
    await expect(target.write('x')).rejects.toThrow(/cannot write the output stream: disk on fire/);
  });
});
