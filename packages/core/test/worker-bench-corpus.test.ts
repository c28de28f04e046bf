import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// The benchmark's corpus generator (bench/corpus, plain JavaScript) must write the same bytes
// for the same seed, or figures from two runs would not describe the same corpus.
interface Generator {
  writeCorpus(
    dir: string,
    sizeBytes: number,
    seed: number,
  ): { files: { path: string; format: string; bytes: number }[]; totalBytes: number };
  hashTree(dir: string): Promise<string>;
  planCorpus(sizeBytes: number, seed: number): { kind: string; generation: string; targetBytes: number; huge: boolean }[];
}

const generatorUrl = pathToFileURL(path.join(import.meta.dirname, '..', '..', '..', 'bench', 'corpus', 'generate.mjs')).href;
const generator = (await import(generatorUrl)) as Generator;
const dirs: string[] = [];

async function generate(seed: number): Promise<{ hash: string; manifest: ReturnType<Generator['writeCorpus']> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-corpus-'));
  dirs.push(dir);
  const manifest = generator.writeCorpus(dir, 3 * 1024 * 1024, seed);
  return { hash: await generator.hashTree(dir), manifest };
}

afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('the benchmark corpus generator', () => {
  it('writes the same bytes for the same seed and other bytes for another seed', async () => {
    const first = await generate(7);
    const again = await generate(7);
    const other = await generate(8);
    expect(again.hash).toBe(first.hash);
    expect(other.hash).not.toBe(first.hash);
    // Both formats, several sessions, and about the size asked for.
    expect(new Set(first.manifest.files.map((file) => file.format))).toEqual(new Set(['claude_code', 'codex']));
    expect(first.manifest.files.length).toBeGreaterThan(5);
    expect(first.manifest.totalBytes).toBeGreaterThan(3 * 1024 * 1024);
  });

  it('plans one or two huge sessions, some medium ones and many small ones at full size', () => {
    const plan = generator.planCorpus(1024 ** 3, 1);
    const huge = plan.filter((item) => item.huge);
    expect(huge.map((item) => item.kind)).toEqual(['claude', 'codex']);
    for (const item of huge) expect(item.targetBytes).toBeGreaterThanOrEqual(100 * 1024 ** 2);
    expect(plan.filter((item) => !item.huge && item.targetBytes >= 5 * 1024 ** 2).length).toBeGreaterThan(5);
    expect(plan.filter((item) => item.targetBytes <= 1024 ** 2).length).toBeGreaterThan(500);
    expect(new Set(plan.map((item) => item.generation))).toEqual(new Set(['2.1', '2.0', '1.0', '0.169', '0.34']));
  });
});
