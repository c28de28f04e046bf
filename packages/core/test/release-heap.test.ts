import { constants, type NodeGCPerformanceDetail, PerformanceObserver } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
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

/** Fills the heap with a parse's worth of objects, drops them, and returns the heap size before. */
function leaveDeadSession(): number {
  const before = getHeapStatistics().used_heap_size;
  let kept: object[] | undefined = records(1_000_000);
  expect(kept).toHaveLength(1_000_000);
  expect(getHeapStatistics().used_heap_size - before).toBeGreaterThan(100 * MB);
  kept = undefined;
  // Dead, but still counted: nothing has collected the old generation yet.
  expect(getHeapStatistics().used_heap_size - before).toBeGreaterThan(100 * MB);
  return before;
}

it('has the engine collect what a finished parse left, with a collection of its own, not a forced one', async () => {
  const collections: NodeGCPerformanceDetail[] = [];
  const observer = new PerformanceObserver((list) => {
    // Each entry of a 'gc' observer carries the kind and flags of one collection.
    for (const entry of list.getEntries()) collections.push((entry as unknown as { detail: NodeGCPerformanceDetail }).detail);
  });
  observer.observe({ entryTypes: ['gc'] });
  try {
    const before = leaveDeadSession();
    collections.length = 0;
    releaseHeap(200 * MB);
    // The collection runs alongside what the thread does next, as the engine schedules it.
    for (let turn = 0; turn < 500 && getHeapStatistics().used_heap_size - before >= 20 * MB; turn += 1) await sleep(10);
    expect(getHeapStatistics().used_heap_size - before).toBeLessThan(20 * MB);
    // Entries reach the observer some turns after the collection.
    const full = () => collections.filter((gc) => gc.kind === constants.NODE_PERFORMANCE_GC_MAJOR);
    for (let turn = 0; turn < 500 && full().length === 0; turn += 1) await sleep(10);
    expect(full().length).toBeGreaterThan(0);
    // A forced collection would throw away the thread's optimized code.
    for (const gc of full()) expect(gc.flags & constants.NODE_PERFORMANCE_GC_FLAGS_FORCED).toBe(0);
  } finally {
    observer.disconnect();
  }
});

it('forces the collection at once where the address space for the request is refused', () => {
  const before = leaveDeadSession();
  // No engine makes a buffer of this size: the request fails, and the forced collection runs.
  releaseHeap(Number.MAX_SAFE_INTEGER);
  expect(getHeapStatistics().used_heap_size - before).toBeLessThan(20 * MB);
  // Twice in a row is fine: the forced collection is made once per thread.
  releaseHeap(Number.MAX_SAFE_INTEGER);
});
