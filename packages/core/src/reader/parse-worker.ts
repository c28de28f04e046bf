/**
 * The entry of a parse worker thread (run by piscina, see worker-executor.ts). Each worker
 * imports the format's module once, which registers the same handler in this thread's
 * default registry, builds the parse context once, then parses the files it is given.
 * Rows go back serialized as JSONL in a transferred buffer, so they are cloned never.
 */
import { move, transferableSymbol, valueSymbol, workerData } from 'piscina';
import { describeError, isAgentRolloutParseError } from '../errors.js';
import type { FormatHandler, ParseContext } from '../handler/format-handler.js';
import type { RedactionOptions } from '../redact/index.js';
import { defaultRegistry } from '../registry/format-registry.js';
import type { NormalizedRollout } from '../schema/row.js';
import { type EncodedRows, encodeRows } from './encode-rows.js';
import type { ManifestFile } from './manifest.js';
import { parseOneFile } from './parse-one-file.js';
import type { RunFailure, RunWarning } from './run-report.js';

/** What every worker of a read gets when it starts. */
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
   * The main thread's parse context, when it is plain data (see `isPlainData`): workers then
   * use this copy instead of building their own, which for some formats means reading every
   * file again.
   */
  context?: { value: ParseContext | undefined };
}

export interface ParseTask {
  file: ManifestFile;
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

interface Setup {
  handler: FormatHandler;
  context: ParseContext | undefined;
}

const data = workerData as ParseWorkerData;
// Nothing aborts a parse from inside a worker: the pool ends the thread instead.
const neverAborted = new AbortController().signal;
let setup: Promise<Setup> | undefined;

async function setUp(): Promise<Setup> {
  await import(data.moduleUrl);
  const handler = defaultRegistry().get(data.format);
  if (!handler) throw new Error(`importing ${data.moduleUrl} did not register format "${data.format}"`);
  if (data.context) return { handler, context: data.context.value };
  // Warnings of the context were already recorded by the main thread, which built it too.
  const context = await handler.buildParseContext({ root: data.root, files: data.rootFiles, signal: neverAborted, warn: () => {} });
  return { handler, context };
}

function transferParseError(error: unknown): TransferredParseError {
  if (isAgentRolloutParseError(error)) {
    const cause = (error as { cause?: unknown }).cause;
    return { file: error.file, line: error.line, reason: error.reason, ...(cause === undefined ? {} : { cause: describeError(cause) }) };
  }
  return { file: '', line: undefined, reason: describeError(error) };
}

/** Parses one file. The default export is what piscina calls for each task. */
export default async function parseInWorker(task: ParseTask): Promise<WorkerOutcome | ReturnType<typeof move>> {
  let ready: Setup;
  try {
    setup ??= setUp();
    ready = await setup;
  } catch (error) {
    return { status: 'setup-failed', message: describeError(error) };
  }
  const outcome = await parseOneFile(ready.handler, ready.context, task.file, {
    root: data.root,
    signal: neverAborted,
    strict: data.strict,
    ...(data.redaction ? { redaction: data.redaction } : {}),
  });
  switch (outcome.status) {
    case 'parsed': {
      if (data.encoding === 'rows') return outcome;
      const encoded = encodeRows(outcome.rows);
      const result: WorkerOutcome = {
        status: 'encoded',
        file: outcome.file,
        encoded,
        warnings: outcome.warnings,
        ...(outcome.redactions ? { redactions: outcome.redactions } : {}),
      };
      return move({
        get [transferableSymbol]() {
          return [encoded.jsonl.buffer];
        },
        get [valueSymbol]() {
          return result;
        },
      });
    }
    case 'failed':
      return { ...outcome, error: transferParseError(outcome.error) };
    default:
      return outcome;
  }
}
