/**
 * The entry of a parse worker thread (run by piscina, see worker-executor.ts). A pool serves
 * every read of its executor, one after another: each task names its read, whose setup comes
 * with it in shared memory. For each read a worker imports the format's module once (which
 * registers the same handler in this thread's default registry) and takes or builds the
 * parse context (once, or per scope), then parses the files it is given. Rows go back
 * serialized as JSONL in a transferred buffer, so they are cloned never.
 */
import { deserialize } from 'node:v8';
import { move, transferableSymbol, valueSymbol } from 'piscina';
import { describeError, isAgentRolloutParseError } from '../errors.js';
import type { FormatHandler, ParseContext } from '../handler/format-handler.js';
import type { RedactionOptions } from '../redact/index.js';
import { defaultRegistry } from '../registry/format-registry.js';
import type { NormalizedRollout } from '../schema/row.js';
import { bytesToHandOver } from './bytes-to-hand-over.js';
import { type EncodedRows, encodeRows } from './encode-rows.js';
import type { ManifestFile } from './manifest.js';
import { parseOneFile } from './parse-one-file.js';
import { releaseHeap } from './release-heap.js';
import type { RunFailure, RunWarning } from './run-report.js';

/** What a worker needs to know about a read to parse its files. */
export interface ParseWorkerData {
  /** The module that registers the format when imported (its registration's moduleUrl). */
  moduleUrl: string;
  format: string;
  root: string;
  rootFiles: readonly string[];
  strict: boolean;
  encoding: 'rows' | 'jsonl';
  redaction?: RedactionOptions;
  /**
   * The main thread's parse context, when the handler has no context scopes and the context is
   * plain data (see `isPlainData`): workers then use this copy instead of building their own,
   * which for some formats means reading every file again.
   */
  context?: { value: ParseContext | undefined };
}

/** What a worker is asked to parse: a few small files in a row, or one file, of one read. */
export interface ParseTask {
  read: ReadOfTask;
  files: FileTask[];
}

/** The read a task belongs to: its id in the pool and its {@link ParseWorkerData}. */
export interface ReadOfTask {
  id: number;
  /** The read's `ParseWorkerData`, serialized (`v8.serialize`) in shared memory: every task of the read refers to the same bytes. */
  setup: Uint8Array;
}

/** One file of a {@link ParseTask}. */
export interface FileTask {
  file: ManifestFile;
  /**
   * Set when the handler builds its context per scope: the file's scope and, when the main
   * thread's context of that scope is plain data, that context serialized (`v8.serialize`) in
   * shared memory, so a task carries a reference and not a copy. Without `serialized` the
   * worker builds the scope's context itself.
   */
  scope?: { name: string; serialized?: Uint8Array };
}

/** A parse error as plain data, rebuilt into an `AgentRolloutParseError` by the main thread. */
export interface TransferredParseError {
  file: string;
  line: number | undefined;
  reason: string;
  /** The message of what the handler threw, when the handler did not throw a parse error itself. */
  cause?: string;
}

/** A `FileOutcome` in a form that crosses the thread boundary, or the failure to set the worker up. */
export type WorkerOutcome =
  | { status: 'parsed'; file: ManifestFile; rows: NormalizedRollout[]; warnings: RunWarning[]; redactions?: Record<string, number> }
  | { status: 'encoded'; file: ManifestFile; encoded: EncodedRows; warnings: RunWarning[]; redactions?: Record<string, number> }
  | { status: 'skipped'; file: ManifestFile; reason: string; warnings: RunWarning[] }
  | { status: 'failed'; file: ManifestFile; failure: RunFailure; error: TransferredParseError; warnings: RunWarning[] }
  | { status: 'setup-failed'; message: string };

/** A read as this worker has set it up. */
interface Setup {
  data: ParseWorkerData;
  handler: FormatHandler;
  context: ParseContext | undefined;
  /**
   * Contexts of the scopes this worker parsed files of lately. A scope's files usually come
   * one after another, so a few suffice; an evicted scope is only deserialized (or built) again.
   */
  scopeContexts: Map<string, Promise<ParseContext | undefined>>;
}

// Nothing aborts a parse from inside a worker: the pool ends the thread instead.
const neverAborted = new AbortController().signal;
/** The reads this worker set up lately; reads of one executor come one after another. */
const setups = new Map<number, Promise<Setup>>();
const READS_KEPT = 2;
const SCOPES_KEPT = 8;
/**
 * After a file this large the heap is collected in full: on the 1 GB benchmark the memory of
 * the whole process fell from about 480 MB to about 300 MB after the 153.7 MB session.
 */
const RELEASE_HEAP_AFTER = 32 * 1024 * 1024;

function setupOf(read: ReadOfTask): Promise<Setup> {
  let setup = setups.get(read.id);
  if (setup === undefined) {
    // The heap is not collected here: what a long session left is collected after it (see
    // releaseHeap), the small files' garbage goes with the engine's own collections, and a
    // forced collection here made this thread throw away and compile again its optimized code.
    setup = setUp(deserialize(read.setup) as ParseWorkerData);
    setups.set(read.id, setup);
    if (setups.size > READS_KEPT) setups.delete(setups.keys().next().value as number);
  }
  return setup;
}

async function setUp(data: ParseWorkerData): Promise<Setup> {
  await import(data.moduleUrl);
  const handler = defaultRegistry().get(data.format);
  if (!handler) throw new Error(`importing ${data.moduleUrl} did not register format "${data.format}"`);
  const setup: Setup = { data, handler, context: undefined, scopeContexts: new Map() };
  if (data.context) setup.context = data.context.value;
  // A scoped handler's contexts come with its tasks, scope by scope.
  else if (handler.contextScope === undefined) setup.context = await buildContext(setup, data.rootFiles);
  return setup;
}

function buildContext({ data, handler }: Setup, files: readonly string[]): Promise<ParseContext | undefined> {
  // Warnings of the context were already recorded by the main thread, which built it too.
  return handler.buildParseContext({ root: data.root, files, signal: neverAborted, warn: () => {} });
}

function scopeContext(setup: Setup, scope: NonNullable<FileTask['scope']>): Promise<ParseContext | undefined> {
  const { scopeContexts, handler, data } = setup;
  let context = scopeContexts.get(scope.name);
  if (context === undefined) {
    const { serialized } = scope;
    context =
      serialized === undefined
        ? buildContext(
            setup,
            data.rootFiles.filter((file) => handler.contextScope?.(file) === scope.name),
          )
        : Promise.resolve(deserialize(serialized) as ParseContext | undefined);
    scopeContexts.set(scope.name, context);
    if (scopeContexts.size > SCOPES_KEPT) scopeContexts.delete(scopeContexts.keys().next().value as string);
  }
  return context;
}

function transferParseError(error: unknown): TransferredParseError {
  if (isAgentRolloutParseError(error)) {
    const cause = (error as { cause?: unknown }).cause;
    return { file: error.file, line: error.line, reason: error.reason, ...(cause === undefined ? {} : { cause: describeError(cause) }) };
  }
  return { file: '', line: undefined, reason: describeError(error) };
}

/**
 * Parses the files of a task one after another. The default export is what piscina calls for
 * each task. The outcomes come back in the task's order, their row buffers transferred.
 */
export default async function parseInWorker(task: ParseTask | null): Promise<WorkerOutcome[] | ReturnType<typeof move>> {
  // A pool sends null to start a thread early: loading this module was the point.
  if (task === null) return [];
  const outcomes: WorkerOutcome[] = [];
  const buffers: ArrayBuffer[] = [];
  for (const fileTask of task.files) {
    const outcome = await parseFileTask(task.read, fileTask);
    outcomes.push(outcome);
    if (outcome.status === 'encoded') buffers.push(outcome.encoded.jsonl.buffer as ArrayBuffer);
  }
  // A long session's records and rows are garbage once its rows are encoded (see releaseHeap).
  const largest = Math.max(...task.files.map((fileTask) => fileTask.file.size));
  if (largest >= RELEASE_HEAP_AFTER) releaseHeap(largest);
  if (buffers.length === 0) return outcomes;
  return move({
    get [transferableSymbol]() {
      return buffers;
    },
    get [valueSymbol]() {
      return outcomes;
    },
  });
}

async function parseFileTask(read: ReadOfTask, task: FileTask): Promise<WorkerOutcome> {
  let ready: Setup;
  try {
    ready = await setupOf(read);
  } catch (error) {
    return { status: 'setup-failed', message: describeError(error) };
  }
  const { data } = ready;
  let context = ready.context;
  if (task.scope !== undefined) {
    try {
      context = await scopeContext(ready, task.scope);
    } catch (error) {
      return {
        status: 'setup-failed',
        message: `building the parse context of scope "${task.scope.name}" failed: ${describeError(error)}`,
      };
    }
  }
  const outcome = await parseOneFile(ready.handler, context, task.file, {
    root: data.root,
    signal: neverAborted,
    strict: data.strict,
    ...(data.redaction ? { redaction: data.redaction } : {}),
  });
  switch (outcome.status) {
    case 'parsed': {
      if (data.encoding === 'rows') return outcome;
      const encoded = encodeRows(outcome.rows, outcome.file.size);
      return {
        status: 'encoded',
        file: outcome.file,
        encoded: { ...encoded, jsonl: bytesToHandOver(encoded.jsonl) },
        warnings: outcome.warnings,
        ...(outcome.redactions ? { redactions: outcome.redactions } : {}),
      };
    }
    case 'failed':
      return { ...outcome, error: transferParseError(outcome.error) };
    default:
      return outcome;
  }
}
