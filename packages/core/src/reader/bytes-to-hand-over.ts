/** Bytes up to this size, in a buffer at least twice as large, are copied before they are handed over. */
const COPY_UP_TO = 1 << 20;

/**
 * `bytes` in a buffer fit to transfer to another thread. The receiving thread's engine counts
 * a buffer at its whole length, as memory outside its heap, until the buffer is freed, and
 * starts a full collection once that memory has grown by a few dozen megabytes. A small file's
 * rows are written into a buffer of at least 1 MiB, so the files held in the main thread's
 * reorder window counted as dozens of megabytes and kept starting its full collections
 * (27-53 per run of the 1 GB benchmark, 6-13 with this copy). So up to 1 MiB of bytes that
 * fill half their buffer or less are copied into a buffer of their own size; larger ones go
 * as they are, a copy of them would cost more than it saves.
 */
export function bytesToHandOver(bytes: Uint8Array): Uint8Array {
  if (bytes.byteLength > COPY_UP_TO || bytes.byteLength * 2 > bytes.buffer.byteLength) return bytes;
  // allocUnsafeSlow: a buffer of its own, never a slice of Node's pool, which cannot be transferred.
  const own = Buffer.allocUnsafeSlow(bytes.byteLength);
  own.set(bytes);
  return own;
}
