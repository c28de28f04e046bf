import { isAgentRolloutError, readLineChunks } from '@agent-rollout/core';
import { describe, expect, it } from 'vitest';
import { useTempFiles } from './helpers/temp-files.js';

const { write: fileWith } = useTempFiles('agent-rollout-chunks-');

/** Every chunk of a file, copied (a chunk is only valid until the next one is read). */
async function chunksOf(file: string): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of readLineChunks(file)) chunks.push(Buffer.from(chunk));
  return chunks;
}

describe('readLineChunks', () => {
  it('gives the whole file back in chunks that each end just after a newline', async () => {
    // About 3 MB of lines of varied length, so lines straddle the 1 MiB reads.
    const lines = Array.from({ length: 30_000 }, (_, i) => `{"n":${i},"pad":"${'x'.repeat(i % 197)}"}`);
    const content = `${lines.join('\n')}\n`;
    const chunks = await chunksOf(await fileWith('many.jsonl', content));
    expect(chunks.length).toBeGreaterThan(2);
    for (const chunk of chunks) expect(chunk.at(-1)).toBe(0x0a);
    expect(Buffer.concat(chunks).toString('utf8')).toBe(content);
  });

  it('keeps a line longer than a chunk whole', async () => {
    const long = `{"text":"${'é'.repeat(1_500_000)}"}`;
    const content = `{"a":1}\n${long}\n{"b":2}\n`;
    const chunks = await chunksOf(await fileWith('long.jsonl', content));
    const text = Buffer.concat(chunks).toString('utf8');
    expect(text).toBe(content);
    // The long line (3 MB of two-byte characters) sits whole inside one chunk.
    expect(chunks.some((chunk) => chunk.toString('utf8').includes(long))).toBe(true);
  });

  it('drops a UTF-8 byte order mark and hands over a last line without a newline as it is', async () => {
    const file = await fileWith('bom.jsonl', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":1}\n{"cut":')]));
    const chunks = await chunksOf(file);
    expect(chunks.map((chunk) => chunk.toString('utf8'))).toEqual(['{"a":1}\n', '{"cut":']);
  });

  it('gives nothing for an empty file or one that holds only a byte order mark', async () => {
    expect(await chunksOf(await fileWith('empty.jsonl', ''))).toEqual([]);
    expect(await chunksOf(await fileWith('only-bom.jsonl', Buffer.from([0xef, 0xbb, 0xbf])))).toEqual([]);
  });

  it('lets the event loop turn during a long file', async () => {
    // 24 MiB of lines: more than the 16 MiB read between two turns.
    const line = `{"pad":"${'x'.repeat(1000)}"}\n`;
    const file = await fileWith('turns.jsonl', line.repeat(Math.ceil((24 << 20) / line.length)));
    let turned = false;
    setImmediate(() => {
      turned = true;
    });
    let turnedBeforeLastChunk = false;
    let chunks = 0;
    for await (const _chunk of readLineChunks(file)) {
      chunks += 1;
      if (chunks === 20) turnedBeforeLastChunk = turned;
    }
    expect(chunks).toBeGreaterThan(20);
    expect(turnedBeforeLastChunk).toBe(true);
  });

  it('stops with an aborted error when its signal is aborted', async () => {
    const file = await fileWith('abort.jsonl', '{"a":1}\n');
    const controller = new AbortController();
    controller.abort();
    const read = async () => {
      for await (const _chunk of readLineChunks(file, { signal: controller.signal })) {
        // Never reached.
      }
    };
    const error = await read().catch((caught: unknown) => caught);
    expect(isAgentRolloutError(error) && error.code).toBe('aborted');
    expect((error as Error).message).toContain('abort.jsonl');
  });
});
