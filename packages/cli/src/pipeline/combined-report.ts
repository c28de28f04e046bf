import { openAtomicFile, type RunReport, type SinkSummary } from '@agent-rollout/core';
import type { FormatRun } from './read-sources.js';

/** What `--report` writes: one file for the whole run, with core's RunReport per format. */
export interface CombinedReport {
  tool: '@agent-rollout/cli';
  version: string;
  command: string;
  /** True when every format was read to its end and the output was published. */
  completed: boolean;
  /** Why the run stopped early, when it did. */
  stoppedBy?: string;
  /** Where the output went (absent for stats, or when the output was never published). */
  output?: SinkSummary;
  /** Whether rows were redacted. */
  redacted: boolean;
  /** Redactions of the whole run, by rule id (each format's are in its report). */
  redactions: Record<string, number>;
  /** One RunReport per format, in reading order. */
  formats: RunReport[];
}

export function buildCombinedReport(input: {
  version: string;
  command: string;
  runs: readonly FormatRun[];
  output?: SinkSummary;
  redacted: boolean;
  stoppedBy?: string;
}): CombinedReport {
  const redactions: Record<string, number> = {};
  for (const { report } of input.runs) {
    for (const [rule, count] of Object.entries(report.redactions)) redactions[rule] = (redactions[rule] ?? 0) + count;
  }
  return {
    tool: '@agent-rollout/cli',
    version: input.version,
    command: input.command,
    completed: input.stoppedBy === undefined && input.runs.every((run) => run.report.completed),
    ...(input.stoppedBy !== undefined ? { stoppedBy: input.stoppedBy } : {}),
    ...(input.output ? { output: input.output } : {}),
    redacted: input.redacted,
    redactions,
    formats: input.runs.map((run) => run.report),
  };
}

/** Writes the report atomically, like a dataset. */
export async function writeCombinedReport(file: string, report: CombinedReport): Promise<string> {
  const target = await openAtomicFile(file);
  try {
    await target.write(`${JSON.stringify(report, null, 2)}\n`);
    await target.commit();
  } catch (error) {
    await target.discard();
    throw error;
  }
  return target.path;
}
