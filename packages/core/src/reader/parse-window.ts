export interface ParseWindowLimits {
  /** Files admitted and not yet released, at most. */
  maxFiles: number;
  /** Bytes of the files admitted and not yet released, at most. */
  maxBytes: number;
  /** A file of at least this size may be admitted before the smaller files ahead of it. */
  bigSize: number;
  /** Files parsed at once (the number of workers). */
  parallelism: number;
}

/**
 * Decides which files of an ordered list enter the set being parsed, while their outcomes
 * leave in list order. Files enter in order, within a count and a byte budget, with one
 * exception: the next big file is let in early, once the files before it that have not
 * entered yet are about as much work for the other workers as the big file is for one, so
 * a long session ends near the time its turn comes instead of running alone at the end
 * (and its rows do not wait long in memory). It must fit in three quarters of the byte
 * budget: the quarter kept back lets small files through beside it. Until it fits, the
 * files before it wait too. The file whose outcome is due next always gets in, so the
 * window never waits on a file it has not admitted.
 */
export class ParseWindow {
  readonly #sizes: readonly number[];
  readonly #limits: ParseWindowLimits;
  readonly #admitted: boolean[];
  /** `#bytesBefore[i]`: the sum of the sizes of the files before file i. */
  readonly #bytesBefore: number[];
  /** The first file not admitted yet, in list order. */
  #nextInOrder = 0;
  /** The first file at or after `#nextInOrder` that may be big and is not admitted. */
  #nextBigCandidate = 0;
  /** The file whose outcome leaves next. */
  #nextOut = 0;
  #files = 0;
  #bytes = 0;

  constructor(sizes: readonly number[], limits: ParseWindowLimits) {
    this.#sizes = sizes;
    this.#limits = limits;
    this.#admitted = sizes.map(() => false);
    this.#bytesBefore = [0];
    for (const size of sizes) this.#bytesBefore.push((this.#bytesBefore.at(-1) as number) + size);
  }

  /** The index of the file whose outcome leaves next, or undefined when all have left. */
  get nextOut(): number | undefined {
    return this.#nextOut < this.#sizes.length ? this.#nextOut : undefined;
  }

  /** The file to admit now, or undefined when none may enter until an outcome leaves. */
  nextToAdmit(): number | undefined {
    const inOrder = this.#nextInOrder;
    if (inOrder >= this.#sizes.length) return undefined;
    if (inOrder === this.#nextOut) return inOrder;
    const big = this.#nextBig();
    if (big !== undefined && big !== inOrder && this.#dueEarly(big, inOrder)) {
      // Its time has come: the files before it wait until it fits, or a full window of
      // small files would keep it out until its turn, and it would run alone at the end.
      return this.#fits(this.#sizeOf(big), this.#limits.maxBytes * 0.75) ? big : undefined;
    }
    return this.#fits(this.#sizeOf(inOrder), this.#limits.maxBytes) ? inOrder : undefined;
  }

  /** Marks a file (as returned by `nextToAdmit`) as being parsed. */
  admit(index: number): void {
    if (this.#admitted[index]) throw new Error(`file ${index} was admitted twice`);
    this.#admitted[index] = true;
    this.#files += 1;
    this.#bytes += this.#sizeOf(index);
    while (this.#nextInOrder < this.#sizes.length && this.#admitted[this.#nextInOrder]) this.#nextInOrder += 1;
  }

  /** Marks the outcome of the file `nextOut` as gone. */
  release(index: number): void {
    if (index !== this.#nextOut || !this.#admitted[index]) throw new Error(`file ${index} left out of order`);
    this.#nextOut += 1;
    this.#files -= 1;
    this.#bytes -= this.#sizeOf(index);
  }

  #fits(size: number, byteBudget: number): boolean {
    return this.#files < this.#limits.maxFiles && this.#bytes + size <= byteBudget;
  }

  /** Whether the files from `inOrder` up to the big file `big` are no more work for the other workers than it is for one. */
  #dueEarly(big: number, inOrder: number): boolean {
    const workBefore = (this.#bytesBefore[big] as number) - (this.#bytesBefore[inOrder] as number);
    return workBefore <= this.#sizeOf(big) * (this.#limits.parallelism - 1);
  }

  #nextBig(): number | undefined {
    let index = Math.max(this.#nextBigCandidate, this.#nextInOrder);
    while (index < this.#sizes.length && (this.#admitted[index] || this.#sizeOf(index) < this.#limits.bigSize)) index += 1;
    this.#nextBigCandidate = index;
    return index < this.#sizes.length ? index : undefined;
  }

  #sizeOf(index: number): number {
    return this.#sizes[index] as number;
  }
}
