import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { visitRawLines } from '../src/raw-lines.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'raw-lines-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Seen {
  utf8: string;
  terminated: boolean;
}

async function visitAll(content: Buffer): Promise<Seen[]> {
  const file = path.join(dir, `case-${Math.random().toString(36).slice(2)}.jsonl`);
  await writeFile(file, content);
  const seen: Seen[] = [];
  await visitRawLines(file, undefined, (bytes, start, end, terminated) => {
    seen.push({ utf8: bytes.toString('utf8', start, end), terminated });
  });
  return seen;
}

describe('visitRawLines', () => {
  it('gives the bytes of each line, across reads and without line breaks', async () => {
    const lines = ['{"type":"user"}', '{"text":"é 中 😀"}', '', `{"long":"${'x'.repeat(3 * 1024 * 1024)}"}`, '{"after":"the long one"}'];
    const seen = await visitAll(Buffer.from(`${lines.join('\n')}\n`, 'utf8'));
    expect(seen.map((line) => line.utf8)).toEqual(lines);
    expect(seen.every((line) => line.terminated)).toBe(true);
  });

  it('leaves out a trailing carriage return and the byte order mark, and marks a last line without a newline', async () => {
    const seen = await visitAll(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":1}\r\n{"b":"ü"}\r\n{"c":3', 'utf8')]));
    expect(seen).toEqual([
      { utf8: '{"a":1}', terminated: true },
      { utf8: '{"b":"ü"}', terminated: true },
      { utf8: '{"c":3', terminated: false },
    ]);
  });

  it('visits nothing in an empty file', async () => {
    expect(await visitAll(Buffer.alloc(0))).toEqual([]);
  });
});
