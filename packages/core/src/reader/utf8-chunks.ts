/** Node's Buffer has `utf8Write(text, offset)`, what `write(text, offset, 'utf8')` ends in; its types do not list it. */
export type Utf8Writable = Buffer & { utf8Write(text: string, offset: number): number };

const CHUNK_BYTES = 1 << 20;
/** Up to this many bytes, {@link Utf8Chunks.writeBytes} copies in a loop. */
const COPIED_BY_HAND = 32;
/** Strings longer than this are measured before they are written, instead of reserving 3 bytes per unit. */
const MEASURE_ABOVE = 1 << 16;

/**
 * Collects UTF-8 text and hands it over as one buffer, encoding each string once, straight
 * into place. The first buffer is as large as the caller expects the output to be: the
 * system commits memory pages only as they are written, so an estimate on the high side
 * costs address space, not memory, and the bytes are handed over without a copy. Text
 * beyond the estimate goes into further chunks, joined into one buffer at the end.
 */
export class Utf8Chunks {
  readonly #full: { chunk: Buffer; used: number }[] = [];
  #chunk: Buffer;
  #used = 0;
  #total = 0;

  /** `expectedBytes`: the size the output will most likely stay under. */
  constructor(expectedBytes: number = CHUNK_BYTES) {
    // allocUnsafeSlow: a buffer of its own (not a slice of the shared pool), so it can be transferred.
    this.#chunk = Buffer.allocUnsafeSlow(Math.max(CHUNK_BYTES, Math.ceil(expectedBytes)));
  }

  /** Appends `text` encoded as UTF-8. */
  write(text: string): void {
    // A UTF-16 unit takes at most 3 bytes, so short text needs no measuring.
    const needed = text.length * 3 <= this.spare || text.length <= MEASURE_ABOVE ? text.length * 3 : Buffer.byteLength(text, 'utf8');
    this.advance((this.room(needed) as Utf8Writable).utf8Write(text, this.#used));
  }

  /**
   * The buffer to write up to `bytes` more bytes into, from {@link offset}; say how many were
   * written with {@link advance}. For callers that encode into place themselves.
   */
  room(bytes: number): Buffer {
    if (this.spare < bytes) this.#nextChunk(bytes);
    return this.#chunk;
  }

  /** Bytes left in the current buffer: {@link room} for as many returns it without a new one. */
  get spare(): number {
    return this.#chunk.length - this.#used;
  }

  /** Where the next byte goes in the buffer {@link room} returned. */
  get offset(): number {
    return this.#used;
  }

  /** Counts `bytes` written into the buffer {@link room} returned. */
  advance(bytes: number): void {
    this.#used += bytes;
    this.#total += bytes;
  }

  /** Appends bytes; a few dozen are copied one by one, which costs less than a call into the engine. */
  writeBytes(bytes: Uint8Array): void {
    const length = bytes.length;
    const target = this.room(length);
    const at = this.#used;
    if (length <= COPIED_BY_HAND) for (let i = 0; i < length; i += 1) target[at + i] = bytes[i] as number;
    else target.set(bytes, at);
    this.advance(length);
  }

  /** Appends one byte (such as `\n`). */
  writeByte(byte: number): void {
    if (this.#used === this.#chunk.length) this.#nextChunk(1);
    this.#chunk[this.#used] = byte;
    this.#used += 1;
    this.#total += 1;
  }

  /** Bytes written so far. */
  get length(): number {
    return this.#total;
  }

  /** Drops the bytes written after the first `length` (a {@link length} read earlier). */
  rewind(length: number): void {
    if (length < 0 || length > this.#total) throw new RangeError(`cannot rewind to ${length} of ${this.#total} bytes`);
    // Back to the buffer that holds byte `length`; the ones after it are dropped.
    while (this.#total - this.#used > length) {
      this.#total -= this.#used;
      const previous = this.#full.pop() as { chunk: Buffer; used: number };
      this.#chunk = previous.chunk;
      this.#used = previous.used;
    }
    this.#used -= this.#total - length;
    this.#total = length;
  }

  /**
   * The bytes written, as a view from the start of a buffer of their own (never a slice of
   * Node's shared pool, so its `buffer` can be transferred to another thread). The writer
   * must not be used afterwards.
   */
  take(): Buffer {
    if (this.#full.length === 0) return this.#chunk.subarray(0, this.#used);
    const bytes = Buffer.allocUnsafeSlow(this.#total);
    let offset = 0;
    for (const { chunk, used } of [...this.#full, { chunk: this.#chunk, used: this.#used }]) {
      chunk.copy(bytes, offset, 0, used);
      offset += used;
    }
    return bytes;
  }

  #nextChunk(needed: number): void {
    this.#full.push({ chunk: this.#chunk, used: this.#used });
    this.#chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, needed));
    this.#used = 0;
  }
}
