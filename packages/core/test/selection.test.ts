import { partitionFiles, selectFiles, shuffleSeeded } from '@agent-rollout/core';
import { describe, expect, it } from 'vitest';

const files = Array.from({ length: 40 }, (_, i) => ({
  relativePath: `s/${String(i).padStart(2, '0')}.jsonl`,
  size: ((i * 7919) % 97) * 1000 + 10,
}));

describe('partitionFiles', () => {
  it('gives disjoint shards that together are the whole corpus, each in manifest order', () => {
    const shards = [0, 1, 2, 3].map((index) => partitionFiles(files, index, 4));
    const all = shards.flat().map((f) => f.relativePath);
    expect(new Set(all).size).toBe(files.length);
    expect([...all].sort()).toEqual(files.map((f) => f.relativePath));
    for (const shard of shards) {
      const paths = shard.map((f) => f.relativePath);
      expect(paths).toEqual([...paths].sort());
    }
  });

  it('balances shards by bytes', () => {
    const loads = [0, 1, 2, 3].map((index) => partitionFiles(files, index, 4).reduce((sum, f) => sum + f.size, 0));
    const biggestFile = Math.max(...files.map((f) => f.size));
    expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(biggestFile);
  });

  it('is the same whatever order the files come in', () => {
    const reversed = [...files].reverse();
    const a = partitionFiles(files, 1, 3).map((f) => f.relativePath);
    const b = partitionFiles(reversed, 1, 3)
      .map((f) => f.relativePath)
      .sort();
    expect(b).toEqual(a);
  });
});

describe('selectFiles', () => {
  it('shuffles the same way for the same seed and differently for another', () => {
    const a = shuffleSeeded(files, 42).map((f) => f.relativePath);
    expect(shuffleSeeded(files, 42).map((f) => f.relativePath)).toEqual(a);
    expect(shuffleSeeded(files, 43).map((f) => f.relativePath)).not.toEqual(a);
    expect([...a].sort()).toEqual(files.map((f) => f.relativePath));
  });

  it('applies partition, then shuffle, then limit', () => {
    const shard = partitionFiles(files, 0, 2);
    const selected = selectFiles(files, { partition: { index: 0, count: 2 }, shuffle: true, seed: 5, limit: 3 });
    expect(selected).toEqual(shuffleSeeded(shard, 5).slice(0, 3));
  });

  it('explains a partition index out of range', () => {
    expect(() => selectFiles(files, { partition: { index: 2, count: 2 } })).toThrow('partition index must be below the count (0-based)');
  });
});
