import { appendFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CheckpointError, CheckpointWriter, scanCheckpoint } from '../src/checkpoint/checkpoint-file.js';
import { tempDir } from './support/fixtures.js';

function record(trace: string, index: number, count: number, status: 'ok' | 'failed' = 'ok', hash = 'h1') {
  return {
    value: index,
    trace_id: trace,
    recipe_config_hash: hash,
    recipe_status: status,
    recipe_error: status === 'failed' ? 'step "x": boom' : null,
    record_index: index,
    record_count: count,
  };
}

async function writeGroups(file: string, groups: object[][]): Promise<void> {
  const writer = await CheckpointWriter.open(file, { durable: false });
  for (const group of groups) await writer.write(group);
  await writer.close();
}

describe('checkpoint file', () => {
  it('finds the complete groups of this config and ignores other configs', async () => {
    const file = path.join(await tempDir(), 'out.jsonl');
    await writeGroups(file, [[record('a', 0, 1)], [record('b', 0, 2), record('b', 1, 2)], [record('c', 0, 1, 'ok', 'other')]]);
    const seen: unknown[] = [];
    const scan = await scanCheckpoint(file, { configHash: 'h1', onRecord: (line) => seen.push(line.trace_id) });
    expect([...scan.done].sort()).toEqual(['a', 'b']);
    expect(scan.otherConfigGroups).toBe(1);
    expect(scan.truncatedBytes).toBe(0);
    expect(seen).toEqual(['a', 'b', 'b']);
  });

  it('cuts a torn last line', async () => {
    const file = path.join(await tempDir(), 'out.jsonl');
    await writeGroups(file, [[record('a', 0, 1)]]);
    const intact = await readFile(file, 'utf8');
    await appendFile(file, '{"trace_id":"b","recipe_conf');
    const scan = await scanCheckpoint(file, { configHash: 'h1' });
    expect([...scan.done]).toEqual(['a']);
    expect(scan.truncatedBytes).toBe(28);
    expect(await readFile(file, 'utf8')).toBe(intact);
  });

  it('cuts an incomplete last group so it is written again whole', async () => {
    const file = path.join(await tempDir(), 'out.jsonl');
    await writeGroups(file, [[record('a', 0, 1)]]);
    const intact = await readFile(file, 'utf8');
    await appendFile(file, `${JSON.stringify(record('b', 0, 3))}\n${JSON.stringify(record('b', 1, 3))}\n`);
    const scan = await scanCheckpoint(file, { configHash: 'h1' });
    expect([...scan.done]).toEqual(['a']);
    expect(await readFile(file, 'utf8')).toBe(intact);
  });

  it('removes groups with a failed record when asked to retry them', async () => {
    const file = path.join(await tempDir(), 'out.jsonl');
    await writeGroups(file, [[record('a', 0, 1, 'failed')], [record('b', 0, 1)], [record('c', 0, 2), record('c', 1, 2, 'failed')]]);
    const kept = await scanCheckpoint(file, { configHash: 'h1' });
    expect(kept.done.size).toBe(3);
    const retried = await scanCheckpoint(file, { configHash: 'h1', retryFailed: true });
    expect([...retried.done]).toEqual(['b']);
    expect(retried.removedFailedGroups).toBe(2);
    expect(await readFile(file, 'utf8')).toBe(`${JSON.stringify(record('b', 0, 1))}\n`);
  });

  it('refuses a file that is not a recipe output, naming the line', async () => {
    const file = path.join(await tempDir(), 'rows.jsonl');
    await writeFile(file, `${JSON.stringify(record('a', 0, 1))}\n{"trace_id":"x","messages":[]}\n`);
    await expect(scanCheckpoint(file, { configHash: 'h1' })).rejects.toThrow(CheckpointError);
    await expect(scanCheckpoint(file, { configHash: 'h1' })).rejects.toThrow(/rows\.jsonl:2: .*not a recipe output/);
  });

  it('treats a missing file as an empty output', async () => {
    const scan = await scanCheckpoint(path.join(await tempDir(), 'none.jsonl'), { configHash: 'h1' });
    expect(scan.done.size).toBe(0);
  });
});
