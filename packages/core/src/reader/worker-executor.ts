import { setMaxListeners } from 'node:events';
import { availableParallelism } from 'node:os';
import { serialize } from 'node:v8';
import { Piscina } from 'piscina';
import { AgentRolloutError, AgentRolloutParseError, describeError } from '../errors.js';
import type { FormatHandler } from '../handler/format-handler.js';
import { defaultRegistry, type FormatRegistry } from '../registry/format-registry.js';
import type { ManifestFile } from './manifest.js';
import type { FileContext, ParseContexts } from './parse-contexts.js';
import type { FileOutcome } from './parse-one-file.js';
import { ParseWindow } from './parse-window.js';
import type { FileTask, ParseTask, ParseWorkerData, ReadOfTask, WorkerOutcome } from './parse-worker.js';
import { isPlainData } from './plain-data.js';
import { type FileExecutor, type FileExecutorOptions, inThreadExecutor } from './read-rollouts.js';
import { type BatchLimits, TaskStarter } from './task-starter.js';

export interface WorkerExecutorOptions {
  /**
   * Worker threads that parse files. Default: one per core (`os.availableParallelism()`).
   * With 1 or fewer, files are parsed in this thread (the same output, no pool).
   */
  workers?: number;
  /**
   * Files being parsed or waiting for their turn at once. Default: 32 per worker, so a worker
   * goes on with small files while the file at the head of the order is a long one; memory is
   * bounded by `maxBytesInFlight`.
   */
  maxFilesInFlight?: number;
  /**
   * Bytes of input files being parsed or waiting at once. A file larger than this is parsed
   * alone, so two huge sessions are never held together. A file of a sixteenth of this or
   * more may enter ahead of its turn, within three quarters of it, so that it does not run
   * alone at the end of the read. Default: 256 MiB.
   */
  maxBytesInFlight?: number;
  /** Where the handler's registration (and its `moduleUrl`) is looked up. Default: core's default registry. */
  registry?: FormatRegistry;
  /** The worker entry module. Default: core's own `parse-worker-entry.cjs`; tests and bundlers may point elsewhere. */
  workerScript?: string | URL;
}

const DEFAULT_MAX_BYTES_IN_FLIGHT = 256 * 1024 * 1024;
/** A file of at least this share of `maxBytesInFlight` (16 MiB by default) may start before smaller files ahead of it. */
const BIG_FILE_SHARE = 16;
/**
 * The nursery of each worker's heap. A parse keeps most of what it allocates until the file
 * is done, so a larger nursery mostly holds memory: on the 1 GB benchmark this size cut the
 * peak of two workers from 624-706 MB to 539-637 MB over seven paired runs, at the same speed
 * within the machine's noise. It bounds only the nursery, not the heap.
 */
const WORKER_YOUNG_GENERATION_MB = 16;
/**
 * A pool's threads end after this long without a task. An executor's reads share its threads:
 * a run of the CLI reads one format after another, and the next read starts within a fraction
 * of a second; threads with nothing to do never keep the process alive.
 */
const POOL_IDLE_MS = 2000;
/** Tells apart the reads a pool serves, so that a worker sets each one up once. */
let nextReadId = 1;
/**
 * Files under 1 MiB go to a worker a few at a time, up to 2 MiB or 32 files per task, so that
 * a worker spends its time parsing rather than waiting for its next file: on the 1 GB
 * benchmark a round trip between the threads took 3 ms on average, as long as parsing a
 * small session.
 */
const BATCHING: BatchLimits = { smallSize: 1 << 20, maxBytes: 2 << 20, maxTasks: 32 };

/** What a pool task came to: an outcome for the reader, or a reason the whole read must stop. */
type TaskResult = { outcome: FileOutcome } | { stop: AgentRolloutError };

/** A file handed to the pool, waiting in the reorder buffer for its turn to be yielded. */
interface PendingTask {
  file: ManifestFile;
  scope: string | undefined;
  result: Promise<TaskResult>;
}

function findModuleUrl(registry: FormatRegistry, handler: FormatHandler): string | undefined {
  const registration = registry.list().find((entry) => entry.handler === handler) ?? registry.getRegistration(handler.id);
  return registration?.moduleUrl;
}

function toFileOutcome(result: WorkerOutcome, file: ManifestFile): TaskResult {
  switch (result.status) {
    case 'setup-failed':
      return { stop: new AgentRolloutError('config', `a parse worker could not load the format: ${result.message}`) };
    case 'failed': {
      const { error } = result;
      const cause = error.cause === undefined ? undefined : { cause: new Error(error.cause) };
      return {
        outcome: { ...result, error: new AgentRolloutParseError(error.file || file.path, error.line, error.reason, cause) },
      };
    }
    default:
      return { outcome: result };
  }
}

function crashedOutcome(file: ManifestFile, error: unknown): FileOutcome {
  const reason = `the worker parsing this file stopped: ${describeError(error)}`;
  return {
    status: 'failed',
    file,
    failure: { path: file.relativePath, reason },
    error: new AgentRolloutParseError(file.path, undefined, reason, { cause: error }),
    warnings: [],
  };
}

/**
 * What a task says about its file's scope: the scope's name and, when the context is plain
 * data, its serialized bytes in shared memory (sent by reference to every task of the scope).
 */
function scopeOfTask({ scope, context }: FileContext, serializedScopes: Map<string, Uint8Array | undefined>): FileTask['scope'] {
  if (scope === undefined) return undefined;
  if (!serializedScopes.has(scope)) {
    let serialized: Uint8Array | undefined;
    if (isPlainData(context)) serialized = inSharedMemory(serialize(context));
    serializedScopes.set(scope, serialized);
  }
  const serialized = serializedScopes.get(scope);
  return serialized === undefined ? { name: scope } : { name: scope, serialized };
}

/** A pool of parse workers for all the reads of an executor. */
interface WorkerPool {
  piscina: Piscina<ParseTask | null, WorkerOutcome[]>;
  /** The reads running now, told of what the pool reports (see `startPool`). */
  errorListeners: Set<(error: unknown) => void>;
}

/**
 * Starts a pool: its threads start now, each with a task that only loads the worker module,
 * and end after a while without a task.
 */
function startPool(workerScript: string | URL, workers: number): WorkerPool {
  const piscina = new Piscina<ParseTask | null, WorkerOutcome[]>({
    filename: workerScript instanceof URL ? workerScript.href : workerScript,
    minThreads: 0,
    maxThreads: workers,
    idleTimeout: POOL_IDLE_MS,
    // Tasks are whole files (or batches of small ones); message passing is cheap next to
    // them, and atomics would block a worker's event loop between tasks.
    atomics: 'disabled',
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
  });
  const errorListeners = new Set<(error: unknown) => void>();
  // A worker that died outside a task, or a late answer to a task of a cancelled read. With no
  // read running there is none it could concern: the pool replaces a lost thread when needed.
  piscina.on('error', (error: unknown) => {
    for (const listener of errorListeners) listener(error);
  });
  // A thread that fails to start fails the first read's tasks too, which report it.
  for (let i = 0; i < workers; i += 1) piscina.run(null).catch(() => undefined);
  return { piscina, errorListeners };
}

/** The bytes in a `SharedArrayBuffer`, so that every task refers to them instead of carrying a copy. */
function inSharedMemory(bytes: Uint8Array): Uint8Array {
  const shared = new Uint8Array(new SharedArrayBuffer(bytes.length));
  shared.set(bytes);
  return shared;
}

function abortedError(root: string): AgentRolloutError {
  return new AgentRolloutError('aborted', `the read of ${root} was aborted`);
}

/**
 * An executor that parses files in worker threads (a piscina pool) and yields their outcomes
 * in the order given. The threads start with the executor and serve all its reads, one after
 * another; they end after two seconds without work and never keep the process alive. For
 * each read a worker imports the handler's module (its registration's `moduleUrl`) once, and
 * collects its heap in full after each long session, so that what the session left does not
 * stay in memory beside the next files, or the next read (see `releaseHeap`). The
 * parse context the reader built is sent to the workers when it is plain data (a structured
 * clone keeps it intact); otherwise each worker builds its own once.
 * A handler with context scopes has each scope's context built as its first file comes up,
 * while the workers parse the files before it, and sent with that scope's tasks.
 * The main thread keeps at most `maxFilesInFlight` files (and `maxBytesInFlight` bytes) parsed
 * or being parsed ahead of the one it waits for, so memory does not grow with the corpus; a
 * long session may enter that window early (see `ParseWindow`). Output is the same as in-thread.
 */
export function createWorkerExecutor(options: WorkerExecutorOptions = {}): FileExecutor {
  const workers = Math.max(1, Math.floor(options.workers ?? availableParallelism()));
  const maxFilesInFlight = Math.max(1, Math.floor(options.maxFilesInFlight ?? workers * 32));
  const maxBytesInFlight = options.maxBytesInFlight ?? DEFAULT_MAX_BYTES_IN_FLIGHT;
  const workerScript = options.workerScript ?? new URL('./parse-worker-entry.cjs', import.meta.url);
  // Started with the executor, so that its threads load while the reader lists the files.
  const pool = workers > 1 ? startPool(workerScript, workers) : undefined;

  return {
    async *run(handler, contexts: ParseContexts, files, runOptions: FileExecutorOptions) {
      if (pool === undefined || files.length <= 1) {
        yield* inThreadExecutor.run(handler, contexts, files, runOptions);
        return;
      }
      const { signal, source } = runOptions;
      if (signal.aborted) throw abortedError(source.root);
      const moduleUrl = findModuleUrl(options.registry ?? defaultRegistry(), handler);
      if (moduleUrl === undefined) {
        throw new AgentRolloutError(
          'config',
          `format "${handler.id}" was registered without a moduleUrl, so worker threads cannot load it; register it with { moduleUrl: import.meta.url } or parse with one worker`,
        );
      }
      // One context for the whole read goes to every worker with the read's setup.
      const whole = contexts.scoped ? undefined : (await contexts.contextFor(files[0] as ManifestFile)).context;
      const setup: ParseWorkerData = {
        moduleUrl,
        format: handler.id,
        root: source.root,
        rootFiles: runOptions.rootFiles,
        strict: runOptions.strict,
        encoding: runOptions.encoding,
        ...(runOptions.redaction ? { redaction: runOptions.redaction } : {}),
        ...(!contexts.scoped && isPlainData(whole) ? { context: { value: whole } } : {}),
      };
      const read: ReadOfTask = { id: nextReadId++, setup: inSharedMemory(serialize(setup)) };
      const threads = Math.min(workers, files.length);
      // Ends the tasks still running when the read is aborted or its consumer stops early.
      const cancel = new AbortController();
      // Every task in flight listens to it.
      setMaxListeners(maxFilesInFlight + 8, cancel.signal);
      const onAbort = (): void => cancel.abort();
      signal.addEventListener('abort', onAbort, { once: true });
      // A worker that dies outside a task, or (after a cancel) a late answer to a cancelled task.
      let poolError: unknown;
      const onPoolError = (error: unknown): void => {
        if (!cancel.signal.aborted) poolError ??= error;
      };
      pool.errorListeners.add(onPoolError);

      const serializedScopes = new Map<string, Uint8Array | undefined>();
      const runBatch = async (batch: FileTask[]): Promise<TaskResult[]> => {
        try {
          const outcomes = await pool.piscina.run({ read, files: batch }, { signal: cancel.signal });
          return outcomes.map((outcome, i) => toFileOutcome(outcome, (batch[i] as FileTask).file));
        } catch (error) {
          if (cancel.signal.aborted) return batch.map(() => ({ stop: abortedError(source.root) }));
          if (batch.length === 1) return [{ outcome: crashedOutcome((batch[0] as FileTask).file, error) }];
          // The worker died on one of the files: each is parsed again alone, so only that one fails.
          return (await Promise.all(batch.map((fileTask) => runBatch([fileTask])))).flat();
        }
      };

      const bigSize = maxBytesInFlight / BIG_FILE_SHARE;
      const starter = new TaskStarter<FileTask, TaskResult>(threads, bigSize, runBatch, BATCHING);
      const window = new ParseWindow(
        files.map((file) => file.size),
        { maxFiles: maxFilesInFlight, maxBytes: maxBytesInFlight, bigSize, parallelism: threads },
      );
      // The reorder buffer: tasks by their index in path order; the next one out is yielded once it is done.
      const inFlight = new Map<number, PendingTask>();
      try {
        for (let out = window.nextOut; out !== undefined; out = window.nextOut) {
          for (let index = window.nextToAdmit(); index !== undefined; index = window.nextToAdmit()) {
            const file = files[index] as ManifestFile;
            // A scope's context is built here, when its first file is admitted, while the workers parse.
            const scope = contexts.scoped ? scopeOfTask(await contexts.contextFor(file), serializedScopes) : undefined;
            if (signal.aborted) throw abortedError(source.root);
            inFlight.set(index, {
              file,
              scope: scope?.name,
              result: starter.add(file.size, scope === undefined ? { file } : { file, scope }),
            });
            window.admit(index);
          }
          const head = inFlight.get(out) as PendingTask;
          const result = await head.result;
          inFlight.delete(out);
          window.release(out);
          if (signal.aborted) throw abortedError(source.root);
          if ('stop' in result) throw result.stop;
          if (poolError !== undefined) throw new Error(`the parse worker pool failed: ${describeError(poolError)}`, { cause: poolError });
          if (contexts.finished(head.file) && head.scope !== undefined) serializedScopes.delete(head.scope);
          yield result.outcome;
        }
      } finally {
        signal.removeEventListener('abort', onAbort);
        // Ends this read's tasks still running (their workers are replaced when needed); the
        // pool stays for the executor's next read.
        cancel.abort();
        pool.errorListeners.delete(onPoolError);
      }
    },
  };
}
