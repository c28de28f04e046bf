import type { NormalizedRollout } from './row.js';

/**
 * One row as one line of JSON (no trailing newline). Rows from {@link finalizeRollout} already
 * have canonical key order and no empty optional fields, so equal rows give equal bytes.
 */
export function serializeRollout(row: NormalizedRollout): string {
  return JSON.stringify(row);
}
