/** Node's Buffer has `utf8Write(text, offset)`, what `write(text, offset, 'utf8')` ends in; its types do not list it. */
type Utf8Writable = Buffer & { utf8Write(text: string, offset: number): number };

const CHUNK_BYTES = 1 << 20;
/** Spare chunks kept by a thread between files: enough for most files, and a bound on idle memory. */
const SPARE_CHUNKS_KEPT = 8;
/** Strings longer than this are measured before they are written, instead of reserving 3 bytes per unit. */
const MEASURE_ABOVE = 1 << 16;

const spareChunks: Buffer[] = [];

/**
 * Collects UTF-8 text in chunks of a megabyte and hands it over as one buffer of the exact
 * size. Text is encoded once, straight into a chunk, and chunks are reused from file to file:
 * neither a file's whole output nor its largest row ever exists as one string, and the
 * scratch memory is not faulted in again for every file.
 */
export class Utf8Chunks {
  readonly #full: { chunk: Buffer; used: number }[] = [];
  #chunk: Buffer = spareChunks.pop() ?? Buffer.allocUnsafe(CHUNK_BYTES);
  #used = 0;
  #total = 0;

  /** Appends `text` encoded as UTF-8 (lone surrogates become U+FFFD, as everywhere in Node). */
  write(text: string): void {
    const room = this.#chunk.length - this.#used;
    // A UTF-16 unit takes at most 3 bytes, so short text needs no measuring.
    const needed = text.length * 3 <= room || text.length <= MEASURE_ABOVE ? text.length * 3 : Buffer.byteLength(text, 'utf8');
    if (needed > room) this.#nextChunk(needed);
    const written = (this.#chunk as Utf8Writable).utf8Write(text, this.#used);
    this.#used += written;
    this.#total += written;
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

  /**
   * The bytes written, in a buffer of their own (not a slice of a pool, so it can be
   * transferred to another thread). The chunks go back to the spare list and the writer
   * starts empty again.
   */
  take(): Buffer {
    const bytes = Buffer.allocUnsafeSlow(this.#total);
    let offset = 0;
    for (const { chunk, used } of [...this.#full, { chunk: this.#chunk, used: this.#used }]) {
      chunk.copy(bytes, offset, 0, used);
      offset += used;
      if (chunk.length === CHUNK_BYTES && spareChunks.length < SPARE_CHUNKS_KEPT) spareChunks.push(chunk);
    }
    this.#full.length = 0;
    this.#chunk = Buffer.alloc(0);
    this.#used = 0;
    this.#total = 0;
    return bytes;
  }

  #nextChunk(needed: number): void {
    this.#full.push({ chunk: this.#chunk, used: this.#used });
    this.#chunk = needed <= CHUNK_BYTES ? (spareChunks.pop() ?? Buffer.allocUnsafe(CHUNK_BYTES)) : Buffer.allocUnsafe(needed);
    this.#used = 0;
  }
}
