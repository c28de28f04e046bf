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
  /** Appends a chunk (text is written as UTF-8). */
  write(chunk: string | Uint8Array): Promise<void>;
  /** Flushes and publishes the output under its final name. */
  commit(): Promise<void>;
  /** Throws the output away (removes the temporary file). */
  discard(): Promise<void>;
}

/** Chunks are collected up to this size before a write, so small rows do not cost a syscall each. */
const FLUSH_BYTES = 1 << 20;

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
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let bytes = 0;
  let closed = false;

  const flush = async (): Promise<void> => {
    if (pendingBytes === 0) return;
    const data = pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    try {
      await file.write(data);
    } catch (error) {
      throw sinkError(`cannot write the output ${finalPath}`, error);
    }
  };

  return {
    path: finalPath,
    get bytes() {
      return bytes;
    },
    async write(chunk) {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      if (buffer.byteLength >= FLUSH_BYTES) {
        // A large chunk (a long session's rows) is written as it is: copying and joining it
        // would hold it in memory two or three times. The write ends before this call returns.
        await flush();
        try {
          await file.write(buffer);
        } catch (error) {
          throw sinkError(`cannot write the output ${finalPath}`, error);
        }
        bytes += buffer.byteLength;
        return;
      }
      // Copy views of reusable buffers: the caller may overwrite them after this call.
      pending.push(typeof chunk === 'string' ? buffer : Buffer.from(buffer));
      pendingBytes += buffer.byteLength;
      bytes += buffer.byteLength;
      if (pendingBytes >= FLUSH_BYTES) await flush();
    },
    async commit() {
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
    },
    async discard() {
      if (closed) return;
      closed = true;
      pending = [];
      await file.close().catch(() => undefined);
      await unlink(tempPath).catch(() => undefined);
    },
  };
}

/** Writes to a stream (stdout), waiting for it to drain when its buffer is full. */
export function streamTarget(stream: NodeJS.WritableStream): ByteTarget {
  let bytes = 0;
  const write = (chunk: string | Uint8Array): Promise<void> =>
    new Promise((resolve, reject) => {
      const onError = (error: Error): void => reject(sinkError('cannot write the output stream', error));
      stream.once('error', onError);
      const ready = stream.write(chunk, (error) => {
        if (error) onError(error);
      });
      const done = (): void => {
        stream.removeListener('error', onError);
        resolve();
      };
      if (ready) done();
      else stream.once('drain', done);
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
