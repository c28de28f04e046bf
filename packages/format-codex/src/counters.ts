/** Counts by name, kept in first-seen order so that `source_meta` is written the same way every time. */
export class Counter {
  readonly #counts = new Map<string, number>();

  add(name: string, by = 1): void {
    this.#counts.set(name, (this.#counts.get(name) ?? 0) + by);
  }

  get size(): number {
    return this.#counts.size;
  }

  toJSON(): Record<string, number> {
    return Object.fromEntries(this.#counts);
  }
}
