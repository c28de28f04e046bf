import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serializeRollout } from '../../src/schema/serialize.js';
import { createJsonlSink } from '../../src/sinks/jsonl-sink.js';
import { rowWith, text, toolSession } from './rows.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'sink-jsonl-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('JSONL sink', () => {
  const rows = [toolSession('s1'), rowWith('s2', [{ role: 'user', content: text('hi') }])];

  it('writes serializeRollout of each row on its own line and publishes only on close', async () => {
    const target = path.join(dir, 'out.jsonl');
    const sink = createJsonlSink({ path: target });
    await sink.open();
    for (const row of rows) await sink.write(row);
    // Before close, only a temporary file beside the target exists.
    const during = await readdir(dir);
    expect(during).toHaveLength(1);
    expect(during[0]).toMatch(/^\.out\.jsonl\..+\.tmp$/);
    const summary = await sink.close();
    const written = await readFile(target, 'utf8');
    expect(written).toBe(rows.map((row) => `${serializeRollout(row)}\n`).join(''));
    expect(summary).toEqual({ format: 'jsonl', path: target, rowsIn: 2, rowsWritten: 2, skipped: {}, bytes: Buffer.byteLength(written) });
    expect(await readdir(dir)).toEqual(['out.jsonl']);
  });

  it('gives the same bytes on every run', async () => {
    const outputs: string[] = [];
    for (const name of ['a.jsonl', 'b.jsonl']) {
      const sink = createJsonlSink({ path: path.join(dir, name) });
      await sink.open();
      for (const row of [toolSession('s1'), toolSession('s2')]) await sink.write(row);
      await sink.close();
      outputs.push(await readFile(path.join(dir, name), 'utf8'));
    }
    expect(outputs[1]).toBe(outputs[0]);
  });

  it('leaves nothing behind when aborted, and keeps an existing file untouched', async () => {
    const target = path.join(dir, 'out.jsonl');
    const first = createJsonlSink({ path: target });
    await first.open();
    await first.write(rows[0] as never);
    await first.close();
    const before = await readFile(target, 'utf8');
    const second = createJsonlSink({ path: target });
    await second.open();
    await second.write(rows[1] as never);
    await second.abort();
    expect(await readdir(dir)).toEqual(['out.jsonl']);
    expect(await readFile(target, 'utf8')).toBe(before);
  });

  it('writes to a stream', async () => {
    const stream = new PassThrough();
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    const sink = createJsonlSink({ stream });
    await sink.open();
    await sink.write(rows[1] as never);
    const summary = await sink.close();
    expect(Buffer.concat(chunks).toString('utf8')).toBe(`${serializeRollout(rows[1] as never)}\n`);
    expect(summary.path).toBe('-');
  });

  it('says which output it cannot create', async () => {
    const sink = createJsonlSink({ path: path.join(dir, 'missing', 'out.jsonl') });
    await expect(sink.open()).rejects.toThrow(/cannot create the output .*missing.*out\.jsonl/);
  });
});
