import { TimeRange, toEpochMs, toIsoTimestamp } from '@agent-rollout/core';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../src/reader/selection.js';

describe('timestamps', () => {
  it('reads offsets, precisions, naive values as UTC, and epoch numbers', () => {
    expect(toIsoTimestamp('2026-03-01T12:00:00+02:00')).toBe('2026-03-01T10:00:00.000Z');
    expect(toIsoTimestamp('2026-03-01T10:00:00.123456789Z')).toBe('2026-03-01T10:00:00.123Z');
    expect(toIsoTimestamp('2026-03-01 10:00:00')).toBe('2026-03-01T10:00:00.000Z');
    expect(toIsoTimestamp('2026-03-01T10:00:00-0530')).toBe('2026-03-01T15:30:00.000Z');
    expect(toIsoTimestamp(1772359200)).toBe('2026-03-01T10:00:00.000Z');
    expect(toIsoTimestamp(1772359200000)).toBe('2026-03-01T10:00:00.000Z');
  });

  it('skips what cannot be read', () => {
    expect(toEpochMs('yesterday')).toBeUndefined();
    expect(toEpochMs('2026-13-45T99:00:00Z')).toBeUndefined();
    expect(toEpochMs('2026-13-45T99:00:00.000Z')).toBeUndefined();
    expect(toIsoTimestamp('2026-03-01T10:00:00.250Z')).toBe('2026-03-01T10:00:00.250Z');
    expect(toEpochMs(null)).toBeUndefined();
    expect(toEpochMs({})).toBeUndefined();
  });

  it('reads canonical UTC values as Date.parse does, valid or not', () => {
    const next = seededRandom(5);
    const field = (digits: number, max: number): string => String(Math.floor(next() * max)).padStart(digits, '0');
    const values = [
      '1969-12-31T23:59:59.999Z',
      '1970-01-01T00:00:00.000Z',
      '0000-01-01T00:00:00.000Z',
      '2024-02-29T12:00:00.000Z',
      '2023-02-29T12:00:00.000Z',
      '2026-04-31T00:00:00.000Z',
      '2026-03-01T24:00:00.000Z',
      '2026-03-01T10:60:00.000Z',
      '2026-03-01T10:00:60.000Z',
      '2026-00-10T10:00:00.000Z',
      '2026-03-00T10:00:00.000Z',
      '2026-03-01T1a:00:00.000Z',
      '2026-03-01T10-00:00.000Z',
      '2026/03/01T10:00:00.000Z',
      '2026-03-01T10:00:00.-01Z',
    ];
    for (let i = 0; i < 20_000; i++) {
      // Mostly valid fields, and out of range ones (month 13, day 32, hour 24) now and then.
      values.push(`${field(4, 10_000)}-${field(2, 14)}-${field(2, 33)}T${field(2, 25)}:${field(2, 61)}:${field(2, 61)}.${field(3, 1000)}Z`);
    }
    for (const value of values) {
      const parsed = Date.parse(value);
      expect(toEpochMs(value), value).toBe(Number.isFinite(parsed) ? parsed : undefined);
    }
  });

  it('orders by instant, not by string', () => {
    const range = new TimeRange();
    // 09:30+02:00 is 07:30Z, the earliest instant; 11:00:00.5+01:00 is 10:00:00.5Z, the latest.
    for (const value of ['2026-03-01T10:00:00Z', '2026-03-01T09:30:00+02:00', 'garbage', '2026-03-01T11:00:00.5+01:00', undefined])
      range.add(value);
    expect(range.startedAt).toBe('2026-03-01T07:30:00.000Z');
    expect(range.endedAt).toBe('2026-03-01T10:00:00.500Z');
  });
});
