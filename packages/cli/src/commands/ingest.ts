import path from 'node:path';
import { createSink, describeError, type RolloutSink, releaseBytes, type SinkFormat, type SinkSummary } from '@agent-rollout/core';
import type { CliContext } from '../context.js';
import { EXIT, UsageError } from '../errors.js';
import type { ReadFlagValues, SourceFlagValues } from '../flags/source-flags.js';
import { buildCombinedReport, writeCombinedReport } from '../pipeline/combined-report.js';
import { describeStop } from '../pipeline/describe-stop.js';
import { prepareRead } from '../pipeline/prepare-read.js';
import { readSources } from '../pipeline/read-sources.js';
import { writeBehind } from '../pipeline/write-behind.js';
import { createProgress, progressCallbacks } from '../ui/progress.js';
import { renderSummary } from '../ui/summary.js';

export interface IngestFlags extends SourceFlagValues, ReadFlagValues {
  out: string;
  outputFormat?: SinkFormat;
  keepReasoning?: boolean;
  report?: string;
  quiet?: boolean;
}

/** `.parquet` means Parquet; anything else (and stdout) means JSONL. */
export function outputFormatFor(out: string, explicit: SinkFormat | undefined): SinkFormat {
  if (explicit) return explicit;
  return out !== '-' && path.extname(out).toLowerCase() === '.parquet' ? 'parquet' : 'jsonl';
}

export async function runIngest(flags: IngestFlags, context: CliContext): Promise<number> {
  const format = outputFormatFor(flags.out, flags.outputFormat);
  if (format === 'parquet' && flags.out === '-')
    throw new UsageError('--output-format parquet needs --out <file>; Parquet cannot go to stdout');
  if (flags.keepReasoning && format !== 'openai-chat') {
    throw new UsageError(`--keep-reasoning only applies to --output-format openai-chat (rows in ${format} always keep reasoning)`);
  }
  const say = (text: string): void => {
    if (!flags.quiet) context.stderr.write(text);
  };

  const { registry, sources, redaction, executor } = await prepareRead(flags, context.cwd, say);

  const sink: RolloutSink = createSink(
    format,
    flags.out === '-' ? { stream: context.stdout } : { path: path.resolve(context.cwd, flags.out) },
    { keepReasoning: flags.keepReasoning ?? false },
  );
  try {
    await sink.open();
  } catch (error) {
    context.stderr.write(`error: --out ${flags.out}: ${describeError(error)}\n`);
    return EXIT.failed;
  }

  // A JSONL sink takes each file's rows as the bytes the parse step already serialized, and
  // writes them while the next file is parsed. Once written, a batch's bytes are freed at once:
  // left to the collector, buffers from the workers made the main thread run a full
  // collection every few megabytes of output.
  const writeEncoded = sink.writeEncoded?.bind(sink);
  const writer = writeEncoded ? writeBehind(writeEncoded, (batch) => releaseBytes(batch.jsonl)) : undefined;
  const result = await readSources(sources, {
    registry,
    flags,
    executor,
    redaction,
    signal: context.signal,
    ...progressCallbacks(createProgress({ stream: context.stderr, quiet: flags.quiet ?? false })),
    consumer: writer ? { onBatch: (batch) => writer.write(batch) } : { onRow: (row) => sink.write(row) },
  });
  // The last write ends before the output is closed or thrown away.
  const writeError = await writer?.drain().then(
    () => undefined,
    (error: unknown) => error,
  );

  let output: SinkSummary | undefined;
  const firstError = result.error ?? writeError;
  let stop = firstError === undefined ? undefined : describeStop(firstError);
  if (stop) {
    await sink.abort();
  } else {
    try {
      output = await sink.close();
    } catch (error) {
      await sink.abort();
      stop = describeStop(error);
    }
  }

  let reportPath: string | undefined;
  if (flags.report !== undefined) {
    const report = buildCombinedReport({
      version: context.version,
      command: 'ingest',
      runs: result.runs,
      redacted: redaction !== undefined,
      ...(output ? { output } : {}),
      ...(stop ? { stoppedBy: stop.message ?? 'the reader of stdout closed it' } : {}),
    });
    try {
      reportPath = await writeCombinedReport(path.resolve(context.cwd, flags.report), report);
    } catch (error) {
      context.stderr.write(`error: --report ${flags.report}: ${describeError(error)}\n`);
      stop ??= { exitCode: EXIT.failed, message: 'the report could not be written' };
    }
  }

  say(renderSummary(result.runs, output, reportPath));
  if (stop) {
    // The reason a run failed is shown even with --quiet: the exit code alone does not say why.
    if (stop.message) context.stderr.write(`error: ${stop.message}\n`);
    return stop.exitCode;
  }
  return EXIT.ok;
}
