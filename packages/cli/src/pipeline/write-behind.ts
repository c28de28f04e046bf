import type { EncodedRows } from '@agent-rollout/core';

/**
 * Batches may wait behind the one being written up to this many bytes. A long session's
 * JSONL (about 80 MB in the benchmark) takes a few hundred milliseconds to write; with one
 * batch behind at most, the read stopped after the next small file until that write ended.
 */
const MAX_WAITING_BYTES = 16 << 20;

/**
 * Writes each file's JSONL behind the read: batches are written in order, one at a time,
 * while the next files are read and parsed, instead of the main thread waiting for each
 * write. Memory holds the batch being written and at most `maxWaitingBytes` of batches
 * waiting behind it (and always one, however large). With one worker (the main thread
 * parses), a 1 GB ingest was faster in eight of ten paired runs with one batch behind; the
 * thread had waited for about 0.6 s of writes.
 */
export interface WriteBehind {
  /**
   * Queues `batch` and returns after a turn of the event loop, once the batches waiting
   * behind the write in progress hold at most `maxWaitingBytes`. Throws the error of a
   * write that failed; no batch is written after a failed one.
   */
  write(batch: EncodedRows): Promise<void>;
  /**
   * Waits until every batch is written; throws a failure that no `write` call has thrown yet.
   * Call before closing the output.
   */
  drain(): Promise<void>;
}

/**
 * `writeEncoded` writes a batch; `written` is told of each batch once its write has ended
 * (its bytes may then be freed).
 */
export function writeBehind(
  writeEncoded: (batch: EncodedRows) => Promise<void>,
  written: (batch: EncodedRows) => void,
  maxWaitingBytes: number = MAX_WAITING_BYTES,
): WriteBehind {
  const waiting: EncodedRows[] = [];
  let waitingBytes = 0;
  /** The loop writing the queue, while it runs; it never rejects (a failure is kept below). */
  let writing: Promise<void> | undefined;
  let failure: { error: unknown; thrown: boolean } | undefined;
  /** Callers waiting for a write to end. */
  let wakeUps: Array<() => void> = [];

  const wake = (): void => {
    const waiters = wakeUps;
    wakeUps = [];
    for (const wakeUp of waiters) wakeUp();
  };

  const writeQueue = async (): Promise<void> => {
    try {
      for (let batch = waiting.shift(); batch !== undefined; batch = waiting.shift()) {
        waitingBytes -= batch.jsonl.byteLength;
        await writeEncoded(batch);
        written(batch);
        wake();
      }
    } catch (error) {
      failure = { error, thrown: false };
      waiting.length = 0;
      waitingBytes = 0;
      wake();
    } finally {
      writing = undefined;
    }
  };

  const throwFailure = (): void => {
    if (failure === undefined) return;
    failure.thrown = true;
    throw failure.error;
  };

  return {
    async write(batch) {
      throwFailure();
      waiting.push(batch);
      waitingBytes += batch.jsonl.byteLength;
      // Starts the batch at once when nothing is being written.
      writing ??= writeQueue();
      // One turn of the event loop per batch. With one worker the main thread parses without
      // a break, and a write that has ended is only noticed at a turn: the next write did not
      // start until the budget was full, and the thread then waited for writes one by one
      // (about 0.26 s in 11-13 stops over a 1 GB ingest; 8.58 s against 8.80 s on average
      // over six paired runs).
      await new Promise<void>((resolve) => setImmediate(resolve));
      while (waitingBytes > maxWaitingBytes && failure === undefined) {
        await new Promise<void>((resolve) => wakeUps.push(resolve));
      }
      throwFailure();
    },
    async drain() {
      while (writing !== undefined) await writing;
      if (failure !== undefined && !failure.thrown) throwFailure();
    },
  };
}
