/** ISO 8601 with an explicit offset or `Z` at the end. */
const HAS_OFFSET = /(?:[zZ]|[+-]\d{2}(?::?\d{2})?)$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;

/**
 * `String.prototype.charCodeAt`, called through a constant: timestamps come in several internal
 * string shapes, and looked up on each one the call is not inlined (see keyword-scanner.ts).
 */
const charCodeAt = String.prototype.charCodeAt;

/**
 * `YYYY-MM-DDTHH:MM:SS.sssZ`, what most agents write: Date.parse reads it as is, so the
 * general path (trim, fraction cut, offset check) is skipped on every record.
 */
function isCanonicalUtc(text: string): boolean {
  return (
    text.length === 24 &&
    charCodeAt.call(text, 4) === 45 &&
    charCodeAt.call(text, 10) === 84 &&
    charCodeAt.call(text, 19) === 46 &&
    charCodeAt.call(text, 23) === 90
  );
}

const MS_PER_DAY = 86_400_000;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The digit at `text[at]`, or -1 for any other character. */
function digitAt(text: string, at: number): number {
  const digit = charCodeAt.call(text, at) - 48;
  return digit >= 0 && digit <= 9 ? digit : -1;
}

/** The two digits at `text[at]` as a number, or -1 when either is not a digit. */
function twoDigitsAt(text: string, at: number): number {
  const tens = digitAt(text, at);
  const ones = digitAt(text, at + 1);
  return tens < 0 || ones < 0 ? -1 : tens * 10 + ones;
}

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

/** Days from 1970-01-01 to a date of the proleptic Gregorian calendar (month 1-12). */
function daysFromEpoch(year: number, month: number, day: number): number {
  // Counted in years that start in March, so that a leap day ends its year.
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/**
 * A canonical UTC timestamp (see {@link isCanonicalUtc}) read by hand, in about half the time
 * `Date.parse` takes on Node 20; NaN for a value that is not a valid date and time, whose
 * reading is left to `Date.parse`, so the result is always the same as its.
 */
function canonicalUtcMs(text: string): number {
  if (charCodeAt.call(text, 7) !== 45 || charCodeAt.call(text, 13) !== 58 || charCodeAt.call(text, 16) !== 58) return Number.NaN;
  const century = twoDigitsAt(text, 0);
  const yearOfCentury = twoDigitsAt(text, 2);
  const month = twoDigitsAt(text, 5);
  const day = twoDigitsAt(text, 8);
  const hour = twoDigitsAt(text, 11);
  const minute = twoDigitsAt(text, 14);
  const second = twoDigitsAt(text, 17);
  const tenths = digitAt(text, 20);
  const hundredths = digitAt(text, 21);
  const thousandths = digitAt(text, 22);
  if (century < 0 || yearOfCentury < 0 || month < 1 || month > 12 || day < 1) return Number.NaN;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return Number.NaN;
  if (tenths < 0 || hundredths < 0 || thousandths < 0) return Number.NaN;
  const year = century * 100 + yearOfCentury;
  const monthDays = month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] as number);
  if (day > monthDays) return Number.NaN;
  const ms = tenths * 100 + hundredths * 10 + thousandths;
  return daysFromEpoch(year, month, day) * MS_PER_DAY + ((hour * 60 + minute) * 60 + second) * 1000 + ms;
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
    const read = canonicalUtcMs(value);
    if (!Number.isNaN(read)) return read;
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
