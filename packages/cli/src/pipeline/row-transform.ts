import type { NormalizedRollout } from '@agent-rollout/core';
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

const identity: RowTransform = {
  redacting: false,
  apply: (row) => row,
  counts: () => ({}),
};

/**
 * Builds the transform for the read flags. Redaction comes from core's redactor; this
 * version of core has none yet, so asking for extra rules is an error rather than a silent
 * no-op, and rows pass unchanged (the report says redaction did not run).
 */
export async function createRowTransform(flags: ReadFlagValues): Promise<RowTransform> {
  if (flags.redactRules !== undefined) {
    if (!flags.redact) throw new UsageError('--redact-rules has no effect with --no-redact; drop one of them');
    throw new UsageError('--redact-rules: this version of @agent-rollout/core has no redactor yet');
  }
  return identity;
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
