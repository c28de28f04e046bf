interface WaitingTask<T> {
  size: number;
  start: () => Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

/**
 * Starts queued tasks, at most `slots` at once, in the order they were added, except that a
 * task of at least `bigSize` bytes starts before smaller ones waiting ahead of it (the largest
 * first). A long session at the end of the order would otherwise run alone while the other
 * workers idle, and one in the middle would hold up the files behind it.
 */
export class TaskStarter<T> {
  readonly #waiting: WaitingTask<T>[] = [];
  readonly #slots: number;
  readonly #bigSize: number;
  #running = 0;

  constructor(slots: number, bigSize: number) {
    this.#slots = slots;
    this.#bigSize = bigSize;
  }

  /** Queues a task of `size` bytes; the promise settles as the task does, once it has been started and run. */
  add(size: number, start: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#waiting.push({ size, start, resolve, reject });
      this.#startWhatFits();
    });
  }

  #startWhatFits(): void {
    while (this.#running < this.#slots && this.#waiting.length > 0) {
      const [task] = this.#waiting.splice(this.#nextIndex(), 1) as [WaitingTask<T>];
      this.#running += 1;
      task
        .start()
        .then(task.resolve, task.reject)
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
      const size = (this.#waiting[i] as WaitingTask<T>).size;
      if (size >= this.#bigSize && size > (this.#waiting[chosen] as WaitingTask<T>).size) chosen = i;
    }
    return chosen;
  }
}
