import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** The engine's `gc()`, made once per thread; a no-op where the engine does not hand it over. */
let collect: (() => void) | undefined;

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
 * Runs a full garbage collection of this thread's heap now. After a long session a worker's
 * heap keeps the size the session made it (the engine shrinks an idle heap only after many
 * seconds), and a pool that serves one read after another carried that into the next read:
 * a full collection frees the dead session's pages, and the engine unmaps them within a
 * fraction of a second. It has a price: a forced collection also drops what the thread's
 * optimized code refers to, so most of that code is thrown away and compiled again (about
 * 60 pieces of code per long session of the 1 GB benchmark); call it where memory is at
 * stake only. `gc()` exists only with `--expose-gc`; setting the flag at run time exposes it
 * to contexts made afterwards, so one new context hands it over. The flag does nothing else:
 * contexts and threads made later in the process see a global `gc` too. Where the engine
 * refuses the flag, this does nothing: memory is then only higher, never wrong.
 */
export function releaseHeap(): void {
  collect ??= engineGc();
  collect();
}
