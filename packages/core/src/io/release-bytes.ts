import { MessageChannel } from 'node:worker_threads';

/**
 * A view of part of a buffer smaller than this may be a slice of Node's pool of small buffers,
 * shared with other views, so it is left to the collector. Pool slices never span their buffer.
 */
const POOL_SLICES_BELOW = 1 << 20;

/**
 * Gives the memory behind `bytes` back to the system now, not at the engine's next full
 * collection. V8 counts memory held outside its heap, such as the output buffers parse
 * workers hand to the main thread, toward starting a full collection: a read that drops a
 * megabyte-sized buffer after every file made the main thread collect every few megabytes
 * of output. Releasing each batch once it is written avoids that and lowers the peak.
 *
 * The buffer is detached: `bytes` and every other view of the same memory read as empty
 * afterwards, so call it only on bytes nothing else will read, such as a batch from
 * `readRolloutBatches` once its write has finished. Shared memory, and a view of part of a
 * buffer under 1 MiB, are left as they are. The memory is freed on the event loop's next turn.
 */
export function releaseBytes(bytes: Uint8Array): void {
  const { buffer } = bytes;
  if (buffer instanceof SharedArrayBuffer || buffer.byteLength === 0) return;
  const wholeBuffer = bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength;
  if (!wholeBuffer && buffer.byteLength < POOL_SLICES_BELOW) return;
  // Transferred into a channel that is closed at once: the message, and the memory it owns, is dropped.
  const channel = new MessageChannel();
  channel.port1.postMessage(null, [buffer]);
  channel.port1.close();
  channel.port2.close();
}
