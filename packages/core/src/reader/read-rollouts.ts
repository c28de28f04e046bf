import { AgentRolloutError, AgentRolloutParseError } from '../errors.js';
import type { FormatHandler } from '../handler/format-handler.js';
import { createRedactor, type RedactionOptions } from '../redact/index.js';
import { defaultRegistry, type FormatRegistry } from '../registry/format-registry.js';
import type { NormalizedRollout } from '../schema/row.js';
import { type AgentRolloutSource, type ResolvedSource, resolveSource } from '../source/agent-rollout-source.js';
import { decodeRows, type EncodedRows, encodeRows } from './encode-rows.js';
import { buildManifest, type ManifestFile } from './manifest.js';
import { createParseContexts, type ParseContexts } from './parse-contexts.js';
import { type FileOutcome, parseOneFile } from './parse-one-file.js';
import { createRunReport, type RunReport } from './run-report.js';
import { type SelectionOptions, selectFiles } from './selection.js';

/** How far a read has come; sent after the manifest is built and after every file. */
export interface ReadProgress {
  format: string;
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
  rows: number;
}

/** What to do when a file cannot be parsed. */
export type ErrorPolicy = 'skip' | 'strict';

/** What the reader tells an executor besides the files to parse. */
export interface FileExecutorOptions {
  source: ResolvedSource;
  signal: AbortSignal;
  strict: boolean;
  /** Every file the manifest matched (relative paths), as the handler's parse contexts are built from. */
  rootFiles: readonly string[];
  /**
   * The form the consumer wants: row objects, or rows serialized as JSONL. A hint: the reader
   * converts whatever comes back (`parsed` or `encoded` outcomes) into the wanted form.
   */
  encoding: 'rows' | 'jsonl';
  /** Redact each file's rows as they are made (see {@link ReadOptions.redaction}). */
  redaction?: RedactionOptions;
}

/**
 * Runs the parse of the selected files. The default parses them one after another in this
 * thread; a pool may parse several at once but must yield outcomes in the order given. Each
 * file is parsed with `contexts.contextFor(file)`, and `contexts.finished(file)` is called
 * just before its outcome is yielded.
 */
export interface FileExecutor {
  run(
    handler: FormatHandler,
    contexts: ParseContexts,
    files: readonly ManifestFile[],
    options: FileExecutorOptions,
  ): AsyncIterable<FileOutcome>;
}

export interface ReadOptions {
  /** Where formats are looked up. Default: core's default registry. */
  registry?: FormatRegistry;
  /** Partition, shuffle and limit. */
  selection?: SelectionOptions;
  /** `skip` (default): a bad file is recorded and the read goes on. `strict`: the first failure is thrown. */
  errorPolicy?: ErrorPolicy;
  signal?: AbortSignal;
  onProgress?: (progress: ReadProgress) => void;
  /** Replaces the in-thread parse (used by the worker pool). */
  executor?: FileExecutor;
  /**
   * Redact rows as each file is parsed (in the thread that parses it), with a fresh redactor
   * per file; the counts land in `report.redactions`. Default: rows are not redacted here.
   */
  redaction?: RedactionOptions;
}

/** The rows of a read, as an async iterable, and its report. */
export interface RolloutRead extends AsyncIterable<NormalizedRollout> {
  /** The run report. Complete once iteration has ended (also after a strict failure). */
  readonly report: RunReport;
}

/** The rows of one parsed file, serialized as JSONL, as {@link readRolloutBatches} yields them. */
export interface RolloutBatch extends EncodedRows {
  file: ManifestFile;
}

/** The parsed files of a read as JSONL batches, and its report. */
export interface RolloutBatchRead extends AsyncIterable<RolloutBatch> {
  /** The run report. Complete once iteration has ended (also after a strict failure). */
  readonly report: RunReport;
}

/** One parsed file, in the form its executor returned. */
type ParsedFile = { file: ManifestFile; rows: NormalizedRollout[] } | { file: ManifestFile; encoded: EncodedRows };

/** Parses files one by one in this thread. */
export const inThreadExecutor: FileExecutor = {
  async *run(handler, contexts, files, options) {
    for (const file of files) {
      const { context } = await contexts.contextFor(file);
      const outcome = await parseOneFile(handler, context, file, {
        root: options.source.root,
        signal: options.signal,
        strict: options.strict,
        ...(options.redaction ? { redaction: options.redaction } : {}),
      });
      contexts.finished(file);
      yield outcome;
    }
  },
};

/**
 * Reads a source: builds the manifest, selects files, builds the handler's parse context (once,
 * or once per scope as the files of each scope come up), parses every selected file, and
 * yields rows as they come. The report accounts for every matched file. With the `strict`
 * policy the first failure is thrown (after the report is filled in); otherwise failed files
 * are recorded and the read goes on.
 */
export function readRollouts(source: AgentRolloutSource, options: ReadOptions = {}): RolloutRead {
  const report = createRunReport(source.format, source.path ?? '');
  const iterate = async function* (): AsyncGenerator<NormalizedRollout> {
    for await (const parsed of timedRead(report, source, options, 'rows')) {
      yield* 'rows' in parsed ? parsed.rows : decodeRows(parsed.encoded);
    }
  };
  return {
    report,
    [Symbol.asyncIterator]: () => iterate(),
  };
}

/**
 * Like {@link readRollouts}, but yields each parsed file's rows serialized once as JSONL
 * (the bytes a JSONL sink writes). With a worker executor the rows never become objects in
 * this thread, which keeps the main thread free for writing.
 */
export function readRolloutBatches(source: AgentRolloutSource, options: ReadOptions = {}): RolloutBatchRead {
  const report = createRunReport(source.format, source.path ?? '');
  const iterate = async function* (): AsyncGenerator<RolloutBatch> {
    for await (const parsed of timedRead(report, source, options, 'jsonl')) {
      yield { file: parsed.file, ...('encoded' in parsed ? parsed.encoded : encodeRows(parsed.rows, parsed.file.size)) };
    }
  };
  return {
    report,
    [Symbol.asyncIterator]: () => iterate(),
  };
}

async function* timedRead(
  report: RunReport,
  source: AgentRolloutSource,
  options: ReadOptions,
  encoding: FileExecutorOptions['encoding'],
): AsyncGenerator<ParsedFile> {
  const started = performance.now();
  try {
    yield* readInto(report, source, options, encoding);
    report.completed = true;
  } finally {
    report.durationMs = Math.round(performance.now() - started);
  }
}

async function* readInto(
  report: RunReport,
  input: AgentRolloutSource,
  options: ReadOptions,
  encoding: FileExecutorOptions['encoding'],
): AsyncGenerator<ParsedFile> {
  const signal = options.signal ?? new AbortController().signal;
  const strict = options.errorPolicy === 'strict';
  const source = await resolveSource(input, options.registry ?? defaultRegistry());
  const { handler } = source;
  report.root = source.root;
  // A bad rule fails the read before any file is parsed (workers would fail on every file).
  if (options.redaction) createRedactor(options.redaction);

  const manifest = await buildManifest(source);
  for (const dir of manifest.unreadableDirectories) {
    if (strict) throw new AgentRolloutParseError(dir.path, undefined, dir.reason);
    report.failures.push({ path: dir.path, reason: dir.reason });
  }

  const handled: ManifestFile[] = [];
  report.files.matched = manifest.files.length;
  for (const file of manifest.files) {
    if (handler.isHandledFile(file.relativePath)) {
      handled.push(file);
    } else {
      report.files.unhandled += 1;
      if (handler.shouldWarnUnhandledFile(file.relativePath)) {
        report.unhandledFiles.push(file.relativePath);
        report.warnings.push({ path: file.relativePath, message: `not a ${handler.displayName} session file; not read` });
      }
    }
  }
  report.files.handled = handled.length;
  const selected = selectFiles(handled, options.selection);
  report.files.notSelected = handled.length - selected.length;

  const progress: ReadProgress = {
    format: handler.id,
    filesDone: 0,
    filesTotal: selected.length,
    bytesDone: 0,
    bytesTotal: selected.reduce((sum, file) => sum + file.size, 0),
    rows: 0,
  };
  report.bytes.selected = progress.bytesTotal;
  options.onProgress?.({ ...progress });

  const rootFiles = manifest.files.map((file) => file.relativePath);
  const contexts = createParseContexts(
    handler,
    {
      root: source.root,
      files: rootFiles,
      signal,
      warn: (message, relativePath) => report.warnings.push({ path: relativePath ?? '.', message }),
    },
    selected,
  );

  const executor = options.executor ?? inThreadExecutor;
  for await (const outcome of executor.run(handler, contexts, selected, {
    source,
    signal,
    strict,
    rootFiles,
    encoding,
    ...(options.redaction ? { redaction: options.redaction } : {}),
  })) {
    if (signal.aborted) throw new AgentRolloutError('aborted', `the read of ${source.root} was aborted`);
    report.warnings.push(...outcome.warnings);
    progress.filesDone += 1;
    progress.bytesDone += outcome.file.size;
    if (outcome.status === 'failed') {
      report.files.failed += 1;
      report.failures.push(outcome.failure);
      options.onProgress?.({ ...progress });
      if (strict) throw outcome.error;
      continue;
    }
    if (outcome.status === 'skipped') {
      report.files.skipped += 1;
      report.skipped.push({ path: outcome.file.relativePath, reason: outcome.reason });
      options.onProgress?.({ ...progress });
      continue;
    }
    report.files.parsed += 1;
    report.bytes.parsed += outcome.file.size;
    for (const [rule, count] of Object.entries(outcome.redactions ?? {})) report.redactions[rule] = (report.redactions[rule] ?? 0) + count;
    const rowCount = outcome.status === 'encoded' ? outcome.encoded.rows : outcome.rows.length;
    report.rows += rowCount;
    progress.rows += rowCount;
    yield outcome.status === 'encoded' ? { file: outcome.file, encoded: outcome.encoded } : { file: outcome.file, rows: outcome.rows };
    options.onProgress?.({ ...progress });
  }
}

/** The outcome type a custom executor yields. */
export type { FileOutcome };
