import path from 'node:path';
import {
  type AgentRolloutSource,
  createRedactor,
  type ErrorPolicy,
  type FileExecutor,
  type FormatRegistry,
  type NormalizedRollout,
  type RedactionOptions,
  type Redactor,
  type RunReport,
  readRollouts,
  type SelectionOptions,
} from '@agent-rollout/core';
import { CheckpointWriter, scanCheckpoint } from '../checkpoint/checkpoint-file.js';
import { DEFAULT_CONCURRENCY } from '../defaults.js';
import type { RetryPolicy } from '../llm/backoff.js';
import type { LlmClient } from '../llm/client.js';
import { createOpenAICompatibleClient, type OpenAICompatibleClientOptions } from '../llm/openai-compatible-client.js';
import { LlmRunner } from '../llm/runner.js';
import { configHash } from './config-hash.js';
import { type ProgressOptions, ProgressReporter, type ProgressState } from './progress.js';
import type { Recipe, RecipeRecord } from './recipe.js';
import type { RecipeSummary } from './summary.js';

/** Where the rows come from: sources read like `ingest`, or rows you already have. */
export interface RecipeInput {
  /** Sources read one after another with core's reader (same selection as `ingest`). */
  sources?: readonly AgentRolloutSource[];
  registry?: FormatRegistry;
  /** Partition (`{index, count}`), shuffle, limit: the same shards as `ingest`. */
  selection?: SelectionOptions;
  errorPolicy?: ErrorPolicy;
  executor?: FileExecutor;
  /** Rows to process instead of sources. */
  rows?: AsyncIterable<NormalizedRollout> | Iterable<NormalizedRollout>;
  /** How many rows `rows` holds, for the ETA. */
  totalRows?: number;
}

/** Options shared by every recipe runner (`runDistill`, `runToolReview`). */
export interface RecipeRunOptions extends RecipeInput {
  /** The output JSONL; appended to, and resumed from, across runs. Required unless `preview`. */
  out?: string;
  /** Process this many rows, print them, write nothing. */
  preview?: number;
  /** Where preview records are printed. Default process.stdout. */
  previewStream?: NodeJS.WritableStream;
  /** A ready client; otherwise one is built from `llm`. */
  client?: LlmClient;
  /** Base URL, model, key variable of the default client. */
  llm?: OpenAICompatibleClientOptions;
  /** Per-step model overrides by step name. */
  stepModels?: Record<string, string>;
  /** LLM calls in flight at once. Default 8. */
  concurrency?: number;
  /** Per-call timeout. Default 120 000 ms. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Check the endpoint and key before the first row. Default true. */
  preflight?: boolean;
  /** Redaction of what is sent and written: on by default; `false` turns it off. */
  redact?: boolean | RedactionOptions;
  /** Done groups holding a failed record are removed from the output and done again. */
  retryFailed?: boolean;
  /** Flush each row to the disk (fsync). Default true. */
  durable?: boolean;
  /** Progress on stderr; `false` for none. */
  progress?: ProgressOptions | false;
  signal?: AbortSignal;
}

/** The summary plus the read reports of the sources. */
export interface RecipeRunResult {
  summary: RecipeSummary;
  reports: RunReport[];
  /** Replacements made by redaction, by rule id. */
  redactions: Record<string, number>;
}

/** The recipe runner could not start or had to stop (bad options, unwritable output). */
export class RecipeRunError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RecipeRunError';
  }
}

/**
 * The redaction a run applies, in one form: `true`, `undefined` and `{ enabled: true }` all
 * mean the built-in rules, so they redact alike and key the checkpoint alike.
 */
function redactionOptions(option: RecipeRunOptions['redact']): RedactionOptions | false {
  if (option === false) return false;
  return { enabled: true, ...(option === true || option === undefined ? {} : option) };
}

/** Redacts every string inside a JSON value. */
function redactDeep(value: unknown, redactor: Redactor): unknown {
  if (typeof value === 'string') return redactor.redactText(value);
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, redactor));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, redactDeep(inner, redactor)]));
  }
  return value;
}

async function* readInput(input: RecipeInput, reports: RunReport[], onFraction: (fraction: number | undefined) => void) {
  if (input.rows) {
    yield* input.rows;
    return;
  }
  const sources = input.sources ?? [];
  for (const source of sources) {
    const read = readRollouts(source, {
      ...(input.registry ? { registry: input.registry } : {}),
      ...(input.selection ? { selection: input.selection } : {}),
      ...(input.errorPolicy ? { errorPolicy: input.errorPolicy } : {}),
      ...(input.executor ? { executor: input.executor } : {}),
      onProgress: (progress) => {
        if (sources.length === 1 && progress.bytesTotal > 0) onFraction(progress.bytesDone / progress.bytesTotal);
      },
    });
    reports.push(read.report);
    yield* read;
  }
}

/**
 * Runs a recipe over rows: bounded concurrency, each finished row appended to `out` as one
 * flushed write, rows done by an earlier run with the same config skipped, progress on
 * stderr, and a summary at the end. Preview mode prints N rows and writes nothing.
 */
export async function runRecipe(recipe: Recipe, options: RecipeRunOptions): Promise<RecipeRunResult> {
  const started = Date.now();
  const preview = options.preview;
  if (preview !== undefined && (!Number.isInteger(preview) || preview < 1)) {
    throw new RecipeRunError(`preview must be a whole number of rows, at least 1 (got ${preview})`);
  }
  if (preview === undefined && !options.out) throw new RecipeRunError('an output file is needed (out), or preview mode');
  if (!options.rows && (options.sources ?? []).length === 0) throw new RecipeRunError('no input: give sources or rows');

  for (const step of Object.keys(options.stepModels ?? {})) {
    if (!recipe.steps.includes(step)) {
      throw new RecipeRunError(`no step "${step}" in ${recipe.name} to give a model to; its steps are ${recipe.steps.join(', ')}`);
    }
  }

  // Fail fast, before any row: a missing key throws here, an unreachable endpoint in preflight.
  const client = options.client ?? createOpenAICompatibleClient(options.llm);
  if (options.preflight !== false) await client.preflight?.(options.signal);

  const redaction = redactionOptions(options.redact);
  const redactor = redaction === false ? undefined : createRedactor(redaction);
  const hash = configHash({
    recipe: recipe.name,
    fingerprint: recipe.fingerprint(),
    model: client.model,
    stepModels: options.stepModels ?? {},
    redaction,
  });

  const summary: RecipeSummary = {
    recipe: recipe.name,
    configHash: hash,
    model: client.model,
    baseUrl: client.baseUrl,
    out: preview === undefined ? options.out : undefined,
    preview: preview !== undefined,
    rows: { read: 0, resumed: 0, processed: 0, failed: 0 },
    records: { total: 0, ok: 0, failed: 0 },
    kept: 0,
    dropped: 0,
    histograms: {},
    llm: { calls: 0, retries: 0, repairs: 0, timeouts: 0, inputTokens: 0, outputTokens: 0 },
    truncatedBytes: 0,
    durationMs: 0,
  };
  const tally = (line: Record<string, unknown>): void => {
    summary.records.total += 1;
    if (line.recipe_status === 'ok') summary.records.ok += 1;
    else summary.records.failed += 1;
    recipe.tally(line, summary);
  };

  let done = new Set<string>();
  let writer: CheckpointWriter | undefined;
  if (preview === undefined && options.out) {
    const out = path.resolve(options.out);
    try {
      const scan = await scanCheckpoint(out, { configHash: hash, retryFailed: options.retryFailed ?? false, onRecord: tally });
      done = scan.done;
      summary.truncatedBytes = scan.truncatedBytes;
      writer = await CheckpointWriter.open(out, { durable: options.durable ?? true });
    } catch (error) {
      throw new RecipeRunError(`cannot use ${out} as the output: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    }
  }

  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  // Set when the run must stop: the output cannot be written, or the server rejects the key.
  let fatal: unknown;
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const llm = new LlmRunner({
    client,
    concurrency,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.retry ? { retry: options.retry } : {}),
    signal,
    onFatal: (error) => {
      fatal ??= error;
      stop.abort(error);
    },
  });
  summary.llm = llm.stats;
  const context = { llm, ...(options.stepModels ? { stepModels: options.stepModels } : {}) };

  const reports: RunReport[] = [];
  let fraction: number | undefined;
  let readingDone = false;
  const progress = options.progress === false ? undefined : new ProgressReporter(options.progress ?? { stream: process.stderr });
  const state = (): ProgressState => {
    let total = options.totalRows;
    if (readingDone) total = summary.rows.read;
    else if (total === undefined && fraction !== undefined && fraction > 0) total = Math.round(summary.rows.read / fraction);
    return {
      done: summary.rows.processed - summary.rows.failed,
      failed: summary.rows.failed,
      resumed: summary.rows.resumed,
      total,
      llm: llm.stats,
    };
  };

  const previewStream = options.previewStream ?? process.stdout;
  const handle = async (row: NormalizedRollout): Promise<void> => {
    let records: RecipeRecord[];
    try {
      records = await recipe.process(row, context);
    } catch (error) {
      if (signal.aborted) return;
      // A recipe bug or an unexpected error still leaves an honest record.
      records = [{ status: 'failed', error: error instanceof Error ? error.message : String(error), columns: {} }];
    }
    if (signal.aborted) return;
    const lines = records.map((record, index) => {
      const columns = redactor ? (redactDeep(record.columns, redactor) as Record<string, unknown>) : record.columns;
      return {
        ...columns,
        trace_id: row.trace_id,
        recipe_config_hash: hash,
        recipe_status: record.status,
        recipe_error: record.error !== null && redactor ? redactor.redactText(record.error) : record.error,
        record_index: index,
        record_count: records.length,
      };
    });
    if (writer && lines.length > 0) {
      try {
        await writer.write(lines);
      } catch (error) {
        fatal ??= new RecipeRunError(`writing ${options.out} failed: ${error instanceof Error ? error.message : String(error)}`, {
          cause: error,
        });
        stop.abort(fatal);
        return;
      }
    }
    if (preview !== undefined) for (const line of lines) previewStream.write(`${recipe.preview(line)}\n`);
    summary.rows.processed += 1;
    if (lines.some((line) => line.recipe_status === 'failed')) summary.rows.failed += 1;
    for (const line of lines) tally(line);
    progress?.update(state());
  };

  // Twice as many rows as call slots: while a row writes its output or prepares its next
  // prompt, another row's call is already waiting, so no call slot sits idle.
  const rowsInFlight = concurrency * 2;
  const inFlight = new Set<Promise<void>>();
  const seen = new Set<string>();
  let startedRows = 0;
  try {
    for await (const input of readInput(options, reports, (f) => {
      fraction = f;
    })) {
      if (signal.aborted || (preview !== undefined && startedRows >= preview)) break;
      summary.rows.read += 1;
      if (done.has(input.trace_id)) {
        summary.rows.resumed += 1;
        continue;
      }
      if (seen.has(input.trace_id)) continue; // a trace given twice is done once
      seen.add(input.trace_id);
      startedRows += 1;
      while (inFlight.size >= rowsInFlight) await Promise.race(inFlight);
      if (signal.aborted) break;
      const row = redactor ? redactor.redactRow(input) : input;
      const task = handle(row).finally(() => inFlight.delete(task));
      inFlight.add(task);
    }
    readingDone = !signal.aborted;
    await Promise.all(inFlight);
  } finally {
    await Promise.allSettled(inFlight);
    await writer?.close();
  }
  if (fatal) throw fatal;
  if (options.signal?.aborted) throw options.signal.reason;

  summary.durationMs = Date.now() - started;
  progress?.finish(state());
  return { summary, reports, redactions: redactor ? { ...redactor.counts } : {} };
}
