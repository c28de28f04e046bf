import { createHash } from 'node:crypto';

/** JSON with object keys sorted, so the same settings always give the same text. */
function stableStringify(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (inner instanceof RegExp) return inner.toString();
    if (inner && typeof inner === 'object' && !Array.isArray(inner)) {
      return Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return inner;
  });
}

/**
 * The short hash that keys a run's output lines together with `trace_id`. Two runs with the
 * same recipe, prompts, models, thresholds and redaction share it, so the second resumes
 * the first; change any of them and the rows are done again.
 */
export function configHash(parts: unknown): string {
  return createHash('sha256').update(stableStringify(parts)).digest('hex').slice(0, 16);
}
