import { randomBytes } from 'node:crypto';
import { type FileHandle, open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { AgentRolloutError, describeError } from '../errors.js';

/** Where a sink's bytes go: a file published atomically, or a stream. */
export interface ByteTarget {
  /** The final path, or `-` for a stream. */
  readonly path: string;
  /** Bytes written so far. */
  readonly bytes: number;
  /**
   * Appends a chunk (text is written as UTF-8). Chunks land in the order of the calls, also
   * when a caller does not wait for one before the next; a buffer passed in may be reused
   * once the returned promise has settled.
   */
  write(chunk: string | Uint8Array): Promise<void>;
  /** Flushes and publishes the output under its final name. */
  commit(): Promise<void>;
  /** Throws the output away (removes the temporary file). */
  discard(): Promise<void>;
}

/** Chunks are collected up to this size before a write, so small rows do not cost a syscall each. */
const FLUSH_BYTES = 1 << 20;

/**
 * Runs tasks one after another, in the order given, even when a caller does not wait for the
 * previous one: the staging buffer below may only be filled again once its write has ended.
 */
function serialQueue(): (task: () => Promise<void>) => Promise<void> {
  let last: Promise<unknown> = Promise.resolve();
  return (task) => {
    const next = last.then(task);
    last = next.catch(() => undefined);
    return next;
  };
}

function sinkError(message: string, cause: unknown): AgentRolloutError {
  return new AgentRolloutError('sink', `${message}: ${describeError(cause)}`, { cause });
}

/**
 * Writes to a temporary file beside the target (same directory, so the rename cannot cross
 * file systems) and renames it over the target on commit: a run that dies midway never
 * leaves a half-written file under the final name.
 */
export async function openAtomicFile(target: string): Promise<ByteTarget> {
  const finalPath = path.resolve(target);
  const tempPath = path.join(path.dirname(finalPath), `.${path.basename(finalPath)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  let handle: FileHandle | undefined;
  try {
    handle = await open(tempPath, 'wx');
  } catch (error) {
    throw sinkError(`cannot create the output ${finalPath}`, error);
  }
  const file = handle;
  // Small chunks are copied into one buffer, reused from write to write: warm memory, where
  // a copy of each chunk and a join of the copies would touch fresh pages twice.
  const staging = Buffer.allocUnsafe(FLUSH_BYTES);
  let staged = 0;
  let bytes = 0;
  let closed = false;

  const writeOut = async (data: Buffer): Promise<void> => {
    try {
      await file.write(data);
    } catch (error) {
      throw sinkError(`cannot write the output ${finalPath}`, error);
    }
  };
  const flush = async (): Promise<void> => {
    if (staged === 0) return;
    const length = staged;
    staged = 0;
    await writeOut(staging.subarray(0, length));
  };
  const serial = serialQueue();

  return {
    path: finalPath,
    get bytes() {
      return bytes;
    },
    write: (chunk) =>
      serial(async () => {
        const buffer =
          typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
        bytes += buffer.byteLength;
        if (buffer.byteLength >= FLUSH_BYTES) {
          // A large chunk (a long session's rows) is written as it is: copying it would hold it
          // in memory twice. The write ends before this call returns.
          await flush();
          await writeOut(buffer);
          return;
        }
        if (staged + buffer.byteLength > FLUSH_BYTES) await flush();
        // A copy: the caller may reuse its buffer once this call has settled.
        buffer.copy(staging, staged);
        staged += buffer.byteLength;
        if (staged === FLUSH_BYTES) await flush();
      }),
    commit: () =>
      serial(async () => {
        if (closed) return;
        await flush();
        closed = true;
        try {
          await file.close();
          await rename(tempPath, finalPath);
        } catch (error) {
          await unlink(tempPath).catch(() => undefined);
          throw sinkError(`cannot publish the output ${finalPath}`, error);
        }
      }),
    async discard() {
      if (closed) return;
      closed = true;
      staged = 0;
      await file.close().catch(() => undefined);
      await unlink(tempPath).catch(() => undefined);
    },
  };
}

/**
 * Writes to a stream (stdout). Each write settles once the stream has handed the chunk on
 * (its write callback), not when the stream merely buffered it: a caller may then reuse or
 * release the chunk's memory, as `ByteTarget.write` allows. A caller that waits for each
 * write keeps one chunk in the stream at a time.
 */
export function streamTarget(stream: NodeJS.WritableStream): ByteTarget {
  let bytes = 0;
  const write = (chunk: string | Uint8Array): Promise<void> =>
    new Promise((resolve, reject) => {
      const onError = (error: Error): void => reject(sinkError('cannot write the output stream', error));
      stream.once('error', onError);
      stream.write(chunk, (error) => {
        // On a failure the listener stays: the stream emits the error too, after this callback.
        if (error) {
          onError(error);
          return;
        }
        stream.removeListener('error', onError);
        resolve();
      });
    });
  return {
    path: '-',
    get bytes() {
      return bytes;
    },
    async write(chunk) {
      bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
      await write(chunk);
    },
    async commit() {},
    async discard() {},
  };
}

/** Where a sink writes: a file path, or a stream. */
export type SinkDestination = { path: string } | { stream: NodeJS.WritableStream };

/**
 * Opens where a sink writes. A file is written under a temporary name beside it and appears
 * under its final name only on {@link ByteTarget.commit}; a stream is written as it goes.
 */
export async function openByteTarget(destination: SinkDestination): Promise<ByteTarget> {
  return 'path' in destination ? openAtomicFile(destination.path) : streamTarget(destination.stream);
}
