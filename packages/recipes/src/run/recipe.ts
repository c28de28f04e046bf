import type { NormalizedRollout } from '@agent-rollout/core';
import type { StepContext } from '../engine/pipeline.js';
import type { RecipeSummary } from './summary.js';

/** One output record before the runner adds its checkpoint columns. */
export interface RecipeRecord {
  status: 'ok' | 'failed';
  /** Which step failed and why, for a failed record. */
  error: string | null;
  columns: Record<string, unknown>;
}

/** What the runner needs from a recipe. */
export interface Recipe {
  /** `distill`, `tool-review`, ... */
  name: string;
  /** The names of its LLM steps, which per-step model overrides may name. */
  steps: readonly string[];
  /** What the output depends on besides model and redaction (prompts, schemas, thresholds, budget). */
  fingerprint(): unknown;
  /**
   * One input row to its output records (possibly none). A step that still fails after
   * retries and repair becomes a failed record, so the run goes on.
   */
  process(row: NormalizedRollout, context: StepContext): Promise<RecipeRecord[]>;
  /** Adds one written line (checkpoint columns included) to the summary's kept/dropped and histograms. */
  tally(line: Record<string, unknown>, summary: RecipeSummary): void;
  /** A readable rendering of one line for preview mode. */
  preview(line: Record<string, unknown>): string;
}
