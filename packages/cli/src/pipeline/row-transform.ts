import path from 'node:path';
import { createRedactor, isAgentRolloutError, loadRedactionRules, type NormalizedRollout } from '@agent-rollout/core';
import { UsageError } from '../errors.js';
import type { ReadFlagValues } from '../flags/source-flags.js';

/**
 * The one step every row passes through between the reader and any sink (and the stats
 * aggregate): redaction. `counts` are replacements per rule id so far, never secret values.
 */
export interface RowTransform {
  /** Whether rows are redacted. */
  readonly redacting: boolean;
  apply(row: NormalizedRollout): NormalizedRollout;
  counts(): Record<string, number>;
}

/**
 * Builds the transform for the read flags: core's redactor with its built-in rules (and the
 * `--redact-rules` file's extra rules and disabled ids), or nothing with `--no-redact`.
 */
export async function createRowTransform(flags: ReadFlagValues, cwd: string): Promise<RowTransform> {
  if (!flags.redact) {
    if (flags.redactRules !== undefined) throw new UsageError('--redact-rules has no effect with --no-redact; drop one of them');
    return { redacting: false, apply: (row) => row, counts: () => ({}) };
  }
  let rules = {};
  if (flags.redactRules !== undefined) {
    try {
      rules = await loadRedactionRules(path.resolve(cwd, flags.redactRules));
    } catch (error) {
      if (isAgentRolloutError(error) && error.code === 'config') throw new UsageError(`--redact-rules: ${error.message}`);
      throw error;
    }
  }
  const redactor = createRedactor({ enabled: true, ...rules });
  return {
    redacting: true,
    apply: (row) => redactor.redactRow(row),
    counts: () => ({ ...redactor.counts }),
  };
}

/** What changed between two snapshots of the counts (the redactions of one format's rows). */
export function countsSince(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [rule, count] of Object.entries(after)) {
    const delta = count - (before[rule] ?? 0);
    if (delta > 0) out[rule] = delta;
  }
  return out;
}
