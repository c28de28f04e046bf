/** How small tasks are run together, as one batch. */
export interface BatchLimits {
  /** Tasks smaller than this may join a batch. */
  smallSize: number;
  /** A batch holds at most this many bytes... */
  maxBytes: number;
  /** ...and at most this many tasks. */
  maxTasks: number;
}

interface WaitingTask<P, T> {
  size: number;
  payload: P;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

/**
 * Starts queued tasks, at most `slots` batches at once, in the order they were added, except
 * that a task of at least `bigSize` bytes starts before smaller ones waiting ahead of it (the
 * largest first). A long session at the end of the order would otherwise run alone while the
 * other workers idle, and one in the middle would hold up the files behind it.
 *
 * A small task starts together with the small tasks waiting right behind it, as one batch
 * for `run`, within `batching`'s limits. Each batch costs a round trip between threads, and
 * on a busy machine that trip can take as long as parsing a small file: with one trip per
 * file, the benchmark's workers waited a quarter of the time.
 */
export class TaskStarter<P, T> {
  readonly #waiting: WaitingTask<P, T>[] = [];
  readonly #slots: number;
  readonly #bigSize: number;
  readonly #run: (batch: P[]) => Promise<T[]>;
  readonly #batching: BatchLimits | undefined;
  #running = 0;

  /** `run` runs one batch and returns one result per payload, in order. */
  constructor(slots: number, bigSize: number, run: (batch: P[]) => Promise<T[]>, batching?: BatchLimits) {
    this.#slots = slots;
    this.#bigSize = bigSize;
    this.#run = run;
    this.#batching = batching;
  }

  /** Queues a task of `size` bytes; the promise settles with its result once its batch has run. */
  add(size: number, payload: P): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#waiting.push({ size, payload, resolve, reject });
      this.#startWhatFits();
    });
  }

  #startWhatFits(): void {
    while (this.#running < this.#slots && this.#waiting.length > 0) {
      const first = this.#nextIndex();
      const batch = this.#waiting.splice(first, this.#batchLength(first));
      this.#running += 1;
      this.#run(batch.map((task) => task.payload))
        .then(
          (results) => {
            batch.forEach((task, i) => {
              task.resolve(results[i] as T);
            });
          },
          (error: unknown) => {
            for (const task of batch) task.reject(error);
          },
        )
        .finally(() => {
          this.#running -= 1;
          this.#startWhatFits();
        });
    }
  }

  /** The largest big task waiting, else the first one. */
  #nextIndex(): number {
    let chosen = 0;
    for (let i = 0; i < this.#waiting.length; i += 1) {
      const size = (this.#waiting[i] as WaitingTask<P, T>).size;
      if (size >= this.#bigSize && size > (this.#waiting[chosen] as WaitingTask<P, T>).size) chosen = i;
    }
    return chosen;
  }

  /** How many waiting tasks from `first` on start together: small ones in a row, within the limits. */
  #batchLength(first: number): number {
    const limits = this.#batching;
    if (limits === undefined) return 1;
    let bytes = 0;
    let length = 0;
    for (let i = first; i < this.#waiting.length && length < limits.maxTasks; i += 1) {
      const { size } = this.#waiting[i] as WaitingTask<P, T>;
      if (size >= limits.smallSize || (length > 0 && bytes + size > limits.maxBytes)) break;
      bytes += size;
      length += 1;
    }
    return Math.max(1, length);
  }
}
