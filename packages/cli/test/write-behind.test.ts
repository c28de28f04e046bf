import type { EncodedRows } from '@agent-rollout/core';
import { describe, expect, it } from 'vitest';
import { writeBehind } from '../src/pipeline/write-behind.js';

function batch(text: string): EncodedRows {
  return { jsonl: Buffer.from(`${text}\n`), rows: 1, messages: 1, toolCalls: 0 };
}

/** A write whose end the test decides. */
function controlledWrites() {
  const log: string[] = [];
  const ends: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  const writeEncoded = (written: EncodedRows): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      log.push(`start ${Buffer.from(written.jsonl).toString().trim()}`);
      ends.push({ resolve, reject });
    });
  return { log, ends, writeEncoded };
}

describe('writeBehind', () => {
  it('returns while a batch is being written, starts the next only once it has ended, and reports each as written', async () => {
    const { log, ends, writeEncoded } = controlledWrites();
    const writer = writeBehind(writeEncoded, (written) => log.push(`written ${Buffer.from(written.jsonl).toString().trim()}`), 0);
    await writer.write(batch('a'));
    // The caller goes on (parses the next file) while `a` is written.
    expect(log).toEqual(['start a']);
    const second = writer.write(batch('b'));
    await Promise.resolve();
    expect(log).toEqual(['start a']);
    ends[0]?.resolve();
    await second;
    expect(log).toEqual(['start a', 'written a', 'start b']);
    const drained = writer.drain();
    ends[1]?.resolve();
    await drained;
    expect(log).toEqual(['start a', 'written a', 'start b', 'written b']);
  });

  it('gives the event loop a turn at each batch, so a write that has ended is seen and the next one starts', async () => {
    const log: string[] = [];
    // Writes that end as soon as the loop turns, as a file write does.
    const writeEncoded = (written: EncodedRows) =>
      new Promise<void>((resolve) => {
        log.push(`start ${Buffer.from(written.jsonl).toString().trim()}`);
        setImmediate(resolve);
      });
    const writer = writeBehind(writeEncoded, (written) => log.push(`written ${Buffer.from(written.jsonl).toString().trim()}`));
    // A caller that never awaits anything else, as a parse in this thread: each write still
    // ends, and the next starts, before the caller gets its next batch in.
    await writer.write(batch('a'));
    expect(log).toEqual(['start a', 'written a']);
    await writer.write(batch('b'));
    expect(log).toEqual(['start a', 'written a', 'start b', 'written b']);
    await writer.drain();
  });

  it('lets batches wait behind a long write up to its byte budget, and writes them in order', async () => {
    const { log, ends, writeEncoded } = controlledWrites();
    const writer = writeBehind(writeEncoded, (written) => log.push(`written ${Buffer.from(written.jsonl).toString().trim()}`), 4);
    await writer.write(batch('long'));
    // Two bytes each ("b\n"): b and c fit the budget of 4, d does not.
    await writer.write(batch('b'));
    await writer.write(batch('c'));
    let dQueued = false;
    const d = writer.write(batch('d')).then(() => {
      dQueued = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(dQueued).toBe(false);
    expect(log).toEqual(['start long']);
    ends[0]?.resolve();
    await d;
    expect(log).toEqual(['start long', 'written long', 'start b']);
    const drained = writer.drain();
    for (let i = 1; i <= 3; i += 1) {
      await new Promise((resolve) => setImmediate(resolve));
      ends[i]?.resolve();
    }
    await drained;
    expect(log).toEqual(['start long', 'written long', 'start b', 'written b', 'start c', 'written c', 'start d', 'written d']);
  });

  it('writes nothing after a failed write, and throws the failure at every later write', async () => {
    const { log, ends, writeEncoded } = controlledWrites();
    const writer = writeBehind(writeEncoded, (written) => log.push(`written ${Buffer.from(written.jsonl).toString().trim()}`), 100);
    await writer.write(batch('a'));
    await writer.write(batch('b'));
    ends[0]?.reject(new Error('disk full'));
    await new Promise((resolve) => setImmediate(resolve));
    await expect(writer.write(batch('c'))).rejects.toThrow('disk full');
    await expect(writer.write(batch('d'))).rejects.toThrow('disk full');
    expect(log).toEqual(['start a']);
    await expect(writer.drain()).resolves.toBeUndefined();
  });

  it('throws a failed write at the next write, and does not start that batch', async () => {
    const { log, ends, writeEncoded } = controlledWrites();
    const writer = writeBehind(writeEncoded, (written) => log.push(`written ${Buffer.from(written.jsonl).toString().trim()}`), 0);
    await writer.write(batch('a'));
    ends[0]?.reject(new Error('disk full'));
    await expect(writer.write(batch('b'))).rejects.toThrow('disk full');
    expect(log).toEqual(['start a']);
    // The failure was reported once; nothing is left to wait for.
    await expect(writer.drain()).resolves.toBeUndefined();
  });

  it('throws a failed last write at drain', async () => {
    const { ends, writeEncoded } = controlledWrites();
    const writer = writeBehind(writeEncoded, () => undefined);
    await writer.write(batch('last'));
    ends[0]?.reject(new Error('disk full'));
    await expect(writer.drain()).rejects.toThrow('disk full');
  });
});
