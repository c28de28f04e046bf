import { toEpochMs } from '@agent-rollout/core';

const DIGIT_0 = 48;

/** Two ASCII digits at `at` as a number, or -1. */
function twoDigits(text: string, at: number): number {
  const a = text.charCodeAt(at) - DIGIT_0;
  const b = text.charCodeAt(at + 1) - DIGIT_0;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * Milliseconds for `YYYY-MM-DDTHH:MM:SS.sssZ`, the form Codex writes on every line, or
 * undefined for any other text (which core's `toEpochMs` then reads). Only values that
 * `Date.parse` reads the same way are taken: years from 100, months 1-12, days 1-31,
 * hours 0-23 (a day beyond the month's end rolls over in both).
 */
export function canonicalEpochMs(text: string): number | undefined {
  if (text.length !== 24 || text.charCodeAt(23) !== 0x5a /* Z */) return undefined;
  if (text[4] !== '-' || text[7] !== '-' || text[10] !== 'T' || text[13] !== ':' || text[16] !== ':' || text[19] !== '.') {
    return undefined;
  }
  const century = twoDigits(text, 0);
  const yearInCentury = twoDigits(text, 2);
  const month = twoDigits(text, 5);
  const day = twoDigits(text, 8);
  const hour = twoDigits(text, 11);
  const minute = twoDigits(text, 14);
  const second = twoDigits(text, 17);
  const msHigh = twoDigits(text, 20);
  const msLow = text.charCodeAt(22) - DIGIT_0;
  if (century < 1 || yearInCentury < 0 || month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return undefined;
  if (msHigh < 0 || msLow < 0 || msLow > 9) return undefined;
  return Date.UTC(century * 100 + yearInCentury, month - 1, day, hour, minute, second, msHigh * 10 + msLow);
}

/**
 * The earliest and latest timestamp of a rollout's lines: the same instants and ISO strings as
 * core's `TimeRange`, without a regex pass and a `Date.parse` for each of the file's lines.
 */
export class RecordTimes {
  #min: number | undefined;
  #max: number | undefined;

  add(value: unknown): void {
    const ms = (typeof value === 'string' ? canonicalEpochMs(value) : undefined) ?? toEpochMs(value);
    if (ms === undefined) return;
    if (this.#min === undefined || ms < this.#min) this.#min = ms;
    if (this.#max === undefined || ms > this.#max) this.#max = ms;
  }

  get startedAt(): string | null {
    return this.#min === undefined ? null : new Date(this.#min).toISOString();
  }

  get endedAt(): string | null {
    return this.#max === undefined ? null : new Date(this.#max).toISOString();
  }
}
