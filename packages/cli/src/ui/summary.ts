import type { SinkSummary } from '@agent-rollout/core';
import type { FormatRun } from '../pipeline/read-sources.js';
import { formatBytes, renderTable } from './format.js';

const MAX_LISTED_FAILURES = 10;

/** The end-of-run table per format, the failures, and where the outputs went. */
export function renderSummary(runs: readonly FormatRun[], output: SinkSummary | undefined, reportPath: string | undefined): string {
  const lines: string[] = [];
  const header = ['format', 'files parsed', 'failed', 'skipped', 'not selected', 'rows', 'messages', 'tool calls'];
  const table: (string | number)[][] = [header];
  for (const { report, tally } of runs) {
    table.push([
      report.format,
      report.files.parsed,
      report.files.failed,
      report.files.skipped,
      report.files.notSelected,
      report.rows,
      tally.messages,
      tally.toolCalls,
    ]);
  }
  lines.push(renderTable(table));
  const failures = runs.flatMap(({ report }) => report.failures.map((failure) => ({ format: report.format, ...failure })));
  for (const failure of failures.slice(0, MAX_LISTED_FAILURES)) {
    lines.push(`failed: ${failure.format} ${failure.path}${failure.line !== undefined ? `:${failure.line}` : ''}: ${failure.reason}`);
  }
  if (failures.length > MAX_LISTED_FAILURES) lines.push(`... and ${failures.length - MAX_LISTED_FAILURES} more failures (see the report)`);
  if (output) {
    const where = output.path === '-' ? 'stdout' : output.path;
    lines.push(
      `wrote ${output.rowsWritten} ${output.format === 'openai-chat' ? 'examples' : 'rows'} (${output.format}, ${formatBytes(output.bytes)}) to ${where}`,
    );
    for (const [reason, count] of Object.entries(output.skipped)) lines.push(`  left out ${count}: ${reason}`);
  }
  if (reportPath) lines.push(`report: ${reportPath}`);
  return `${lines.join('\n')}\n`;
}
