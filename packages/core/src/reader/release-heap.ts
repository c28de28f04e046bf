import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * The engine starts a collection of its own once memory outside its heap grows this much
 * past what it held at its last full collection (V8's `kExternalAllocationSoftLimit`).
 */
const ENGINE_EXTERNAL_SOFT_LIMIT = 64 * 1024 * 1024;

/** The engine's `gc()`, made once per thread; a no-op where the engine does not hand it over. */
let forcedCollection: (() => void) | undefined;

/**
 * `gc()` exists only with `--expose-gc`; setting the flag at run time exposes it to contexts
 * made afterwards, so one new context hands it over. The flag does nothing else: contexts and
 * threads made later in the process see a global `gc` too. Where the engine refuses the flag,
 * the heap is left to its own collector: memory is then only higher, never wrong.
 */
function engineGc(): () => void {
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    if (typeof gc === 'function') return gc as () => void;
  } catch {
    // An engine that refuses flags at run time: the heap is left to its own collector.
  }
  return () => undefined;
}

/**
 * Has this thread's heap collected in full soon, after a long session. A heap keeps the size
 * its longest session made it (the engine shrinks an idle heap only after many seconds, and
 * lets it grow again up to the limit the session set), and a pool that serves one read after
 * another carried that into the next files: without a collection the 4 GB benchmark peaked
 * at 873-984 MB instead of about 600 MB.
 *
 * A forced `gc()` frees the dead session at once, but it also makes the thread throw away
 * much of its optimized code and compile it again (96 pieces of code per 1 GB benchmark run
 * with two workers). So the engine is asked for a collection of its own instead: a buffer
 * larger than its external-memory threshold, made and dropped at once, makes it start an
 * ordinary full collection, which runs alongside the next task and keeps the code (1-3 pieces
 * thrown away), with the same memory given back. The buffer is never written, so the system
 * commits none of its pages. `largestFileBytes`, the size of the largest file just parsed,
 * sets how large it must be: that file's output buffer, up to twice its size, may have raised
 * the threshold. Where even that much address space is refused, the forced collection runs.
 */
export function releaseHeap(largestFileBytes: number): void {
  try {
    // Dropped at once: only its size counts, at the moment it is made.
    void new ArrayBuffer(2 * largestFileBytes + 2 * ENGINE_EXTERNAL_SOFT_LIMIT);
    return;
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
  }
  forcedCollection ??= engineGc();
  forcedCollection();
}
