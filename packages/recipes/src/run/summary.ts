import type { LlmStats } from '../llm/runner.js';

/** The account of one recipe run. JSON-serializable. */
export interface RecipeSummary {
  recipe: string;
  configHash: string;
  model: string;
  baseUrl: string;
  /** Where the records went; undefined in preview mode. */
  out: string | undefined;
  preview: boolean;
  rows: {
    /** Rows read from the input. */
    read: number;
    /** Rows already done by an earlier run with the same config, not redone. */
    resumed: number;
    /** Rows processed by this run. */
    processed: number;
    /** Rows of this run whose output holds a failed record. */
    failed: number;
  };
  /** Output records over the whole output (earlier runs with this config included). */
  records: { total: number; ok: number; failed: number };
  /** Distillation: kept for SFT vs not; tool review: records labelled `success` vs the rest. */
  kept: number;
  dropped: number;
  /** Counts of values per column: scores 0-4 per rubric, labels, ... */
  histograms: Record<string, Record<string, number>>;
  /** This run's calls and tokens. */
  llm: LlmStats;
  /** Bytes cut from a torn end of the output before resuming. */
  truncatedBytes: number;
  durationMs: number;
  /** Where kept SFT examples went (distillation with `sftOut`). */
  sftOut?: { path: string; examples: number };
}

/** Counts a value under a column's histogram. */
export function countInto(histograms: RecipeSummary['histograms'], column: string, value: string | number | boolean): void {
  const histogram = histograms[column] ?? {};
  histograms[column] = histogram;
  const key = String(value);
  histogram[key] = (histogram[key] ?? 0) + 1;
}

function bar(count: number, max: number, width = 20): string {
  return '#'.repeat(max === 0 ? 0 : Math.max(count > 0 ? 1 : 0, Math.round((count / max) * width)));
}

/** The summary as text for stderr. */
export function renderSummary(summary: RecipeSummary): string {
  const lines: string[] = [];
  lines.push(`${summary.recipe}${summary.preview ? ' (preview: nothing written)' : ''}: model ${summary.model} at ${summary.baseUrl}`);
  const r = summary.rows;
  lines.push(`  rows: ${r.read} read, ${r.processed} processed, ${r.failed} failed, ${r.resumed} already done (resumed)`);
  lines.push(
    `  records: ${summary.records.total} (${summary.records.ok} ok, ${summary.records.failed} failed); kept ${summary.kept}, dropped ${summary.dropped}`,
  );
  const llm = summary.llm;
  lines.push(
    `  calls: ${llm.calls} (${llm.retries} retries, ${llm.repairs} repairs, ${llm.timeouts} timeouts); tokens: ${llm.inputTokens} in, ${llm.outputTokens} out` +
      (r.processed > 0 ? `; ${(llm.calls / r.processed).toFixed(1)} calls per row` : ''),
  );
  for (const [column, histogram] of Object.entries(summary.histograms)) {
    const entries = Object.entries(histogram).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const max = Math.max(0, ...entries.map(([, count]) => count));
    lines.push(`  ${column}:`);
    for (const [value, count] of entries) lines.push(`    ${value.padStart(8)} ${String(count).padStart(6)} ${bar(count, max)}`);
  }
  if (summary.truncatedBytes > 0) lines.push(`  resumed after cutting ${summary.truncatedBytes} bytes of an unfinished write`);
  if (summary.out) lines.push(`  output: ${summary.out}`);
  if (summary.sftOut) lines.push(`  SFT examples: ${summary.sftOut.examples} in ${summary.sftOut.path}`);
  lines.push(`  time: ${(summary.durationMs / 1000).toFixed(1)} s`);
  return `${lines.join('\n')}\n`;
}
