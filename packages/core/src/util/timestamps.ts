/** ISO 8601 with an explicit offset or `Z` at the end. */
const HAS_OFFSET = /(?:[zZ]|[+-]\d{2}(?::?\d{2})?)$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;

/**
 * `YYYY-MM-DDTHH:MM:SS.sssZ`, what most agents write: Date.parse reads it as is, so the
 * general path (trim, fraction cut, offset check) is skipped on every record.
 */
function isCanonicalUtc(text: string): boolean {
  return (
    text.length === 24 &&
    text.charCodeAt(4) === 45 &&
    text.charCodeAt(10) === 84 &&
    text.charCodeAt(19) === 46 &&
    text.charCodeAt(23) === 90
  );
}

/**
 * Milliseconds since the epoch for a timestamp value, or undefined when it cannot be read.
 * Accepts ISO 8601 strings with any offset and precision (naive ones are read as UTC), epoch
 * seconds or milliseconds as numbers, and Date objects.
 */
export function toEpochMs(value: unknown): number | undefined {
  if (value instanceof Date) {
    const ms = value.getTime();
    return Number.isFinite(ms) ? ms : undefined;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value <= 0) return undefined;
    // Below 1e11 a number is epoch seconds (that is before 1973 in milliseconds).
    return value < 1e11 ? value * 1000 : value;
  }
  if (typeof value !== 'string') return undefined;
  if (isCanonicalUtc(value)) {
    const ms = Date.parse(value);
    return Number.isFinite(ms) ? ms : undefined;
  }
  const text = value.trim();
  if (!DATE_TIME.test(text)) return undefined;
  let normalized = text.replace(' ', 'T');
  // Fractions longer than milliseconds are cut: Date.parse rejects some of them.
  normalized = normalized.replace(/(\.\d{3})\d+/, '$1');
  if (!HAS_OFFSET.test(normalized)) normalized += 'Z';
  const ms = Date.parse(normalized);
  return Number.isFinite(ms) ? ms : undefined;
}

/** A timestamp as ISO 8601 UTC with milliseconds, or null when it cannot be read. */
export function toIsoTimestamp(value: unknown): string | null {
  const ms = toEpochMs(value);
  return ms === undefined ? null : new Date(ms).toISOString();
}

/**
 * Tracks the chronologically earliest and latest of many timestamps. Values that cannot be
 * read are skipped; mixed offsets and precisions compare by the instant they name.
 */
export class TimeRange {
  #min: number | undefined;
  #max: number | undefined;

  /** Takes one timestamp into account; values that cannot be read are ignored. */
  add(value: unknown): void {
    const ms = toEpochMs(value);
    if (ms === undefined) return;
    if (this.#min === undefined || ms < this.#min) this.#min = ms;
    if (this.#max === undefined || ms > this.#max) this.#max = ms;
  }

  /** The earliest timestamp seen, as ISO 8601 UTC, or null when none could be read. */
  get startedAt(): string | null {
    return this.#min === undefined ? null : new Date(this.#min).toISOString();
  }

  /** The latest timestamp seen, as ISO 8601 UTC, or null when none could be read. */
  get endedAt(): string | null {
    return this.#max === undefined ? null : new Date(this.#max).toISOString();
  }
}

/** The chronologically earliest and latest of the given timestamps, as ISO 8601 UTC. */
export function timeRange(values: Iterable<unknown>): { startedAt: string | null; endedAt: string | null } {
  const range = new TimeRange();
  for (const value of values) range.add(value);
  return { startedAt: range.startedAt, endedAt: range.endedAt };
}
