import type { NormalizedRollout, RolloutRead } from '@agent-rollout/core';

/** Drains a read into an array. */
export async function collect(read: RolloutRead): Promise<NormalizedRollout[]> {
  const rows: NormalizedRollout[] = [];
  for await (const row of read) rows.push(row);
  return rows;
}
