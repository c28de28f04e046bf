import { getHeapStatistics } from 'node:v8';
import { expect, it } from 'vitest';
import { releaseHeap } from '../src/reader/release-heap.js';

const MB = 1024 * 1024;

/** About `count` small objects that survive the nursery, as a parsed session's records do. */
function records(count: number): object[] {
  const kept: object[] = [];
  for (let i = 0; i < count; i += 1) kept.push({ uuid: `record-${i}`, parent: i - 1, content: [{ type: 'text', text: `line ${i}` }] });
  return kept;
}

it('collects what a finished parse left in the heap at once, without waiting for the engine', () => {
  releaseHeap();
  const before = getHeapStatistics().used_heap_size;
  let kept: object[] | undefined = records(1_000_000);
  expect(kept).toHaveLength(1_000_000);
  const loaded = getHeapStatistics().used_heap_size;
  expect(loaded - before).toBeGreaterThan(100 * MB);
  kept = undefined;
  // Dead, but still counted: nothing has collected the old generation yet.
  expect(getHeapStatistics().used_heap_size - before).toBeGreaterThan(100 * MB);
  releaseHeap();
  expect(getHeapStatistics().used_heap_size - before).toBeLessThan(20 * MB);
  // Twice in a row is fine: the collector is made once per thread.
  releaseHeap();
});
