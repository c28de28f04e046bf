import type { RunFailure } from '@agent-rollout/core';
import type { CliContext } from '../context.js';
import { EXIT } from '../errors.js';
import type { ReadFlagValues, SourceFlagValues } from '../flags/source-flags.js';
import { describeStop } from '../pipeline/describe-stop.js';
import { prepareRead } from '../pipeline/prepare-read.js';
import { readSources } from '../pipeline/read-sources.js';
import { StatsAggregate, type StatsSummary } from '../pipeline/stats-aggregate.js';
import { renderTable } from '../ui/format.js';
import { createProgress, progressCallbacks } from '../ui/progress.js';

export interface StatsFlags extends SourceFlagValues, ReadFlagValues {
  json?: boolean;
  quiet?: boolean;
}

/** What `stats --json` prints. */
export interface StatsOutput extends StatsSummary {
  formats: { format: string; filesParsed: number; filesFailed: number; filesSkipped: number; rows: number }[];
  failures: (RunFailure & { format: string })[];
  redactions: Record<string, number>;
}

function renderText(stats: StatsOutput): string {
  const lines: string[] = [];
  lines.push(`sessions: ${stats.sessions}   subagent sessions: ${stats.subagentSessions}`);
  lines.push(`date range: ${stats.dateRange.first ?? '-'} .. ${stats.dateRange.last ?? '-'}`);
  lines.push('', 'messages by role');
  lines.push(renderTable([['role', 'messages'], ...Object.entries(stats.messagesByRole)]));
  lines.push('', `tool calls: ${stats.toolCalls.total}`);
  if (stats.toolCalls.top.length > 0) {
    const rows: (string | number)[][] = [['tool', 'calls'], ...stats.toolCalls.top.map((t) => [t.name, t.calls])];
    if (stats.toolCalls.otherTools > 0) rows.push([`(${stats.toolCalls.otherTools} other tools)`, stats.toolCalls.otherCalls]);
    lines.push(renderTable(rows));
  }
  const models = Object.entries(stats.tokensByModel);
  lines.push('', 'tokens by model');
  if (models.length === 0) lines.push('(the formats read report no token usage)');
  else {
    const counters = [...new Set(models.flatMap(([, c]) => Object.keys(c)))].sort();
    lines.push(renderTable([['model', ...counters], ...models.map(([model, c]) => [model, ...counters.map((k) => c[k] ?? 0)])]));
  }
  lines.push('', 'files');
  lines.push(
    renderTable([
      ['format', 'parsed', 'failed', 'skipped', 'rows'],
      ...stats.formats.map((f) => [f.format, f.filesParsed, f.filesFailed, f.filesSkipped, f.rows]),
    ]),
  );
  for (const failure of stats.failures) {
    lines.push(`failed: ${failure.format} ${failure.path}${failure.line !== undefined ? `:${failure.line}` : ''}: ${failure.reason}`);
  }
  return `${lines.join('\n')}\n`;
}

export async function runStats(flags: StatsFlags, context: CliContext): Promise<number> {
  const say = (text: string): void => {
    if (!flags.quiet) context.stderr.write(text);
  };
  // Stats never print secrets either: rows are redacted as for ingest.
  const { registry, sources, redaction, executor } = await prepareRead(flags, context.cwd, say);

  const aggregate = new StatsAggregate();
  const result = await readSources(sources, {
    registry,
    flags,
    executor,
    redaction,
    signal: context.signal,
    ...progressCallbacks(createProgress({ stream: context.stderr, quiet: flags.quiet ?? false })),
    consumer: { onRow: (row) => aggregate.add(row) },
  });

  const redactions: Record<string, number> = {};
  for (const { report } of result.runs) {
    for (const [rule, n] of Object.entries(report.redactions)) redactions[rule] = (redactions[rule] ?? 0) + n;
  }
  const output: StatsOutput = {
    ...aggregate.summary(),
    formats: result.runs.map(({ report }) => ({
      format: report.format,
      filesParsed: report.files.parsed,
      filesFailed: report.files.failed,
      filesSkipped: report.files.skipped,
      rows: report.rows,
    })),
    failures: result.runs.flatMap(({ report }) => report.failures.map((failure) => ({ format: report.format, ...failure }))),
    redactions,
  };
  if (result.error !== undefined) {
    const stop = describeStop(result.error);
    if (stop.message) context.stderr.write(`error: ${stop.message}\n`);
    return stop.exitCode;
  }
  context.stdout.write(flags.json ? `${JSON.stringify(output, null, 2)}\n` : renderText(output));
  return EXIT.ok;
}
