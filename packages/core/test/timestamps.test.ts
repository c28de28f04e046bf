import { TimeRange, toEpochMs, toIsoTimestamp } from '@agent-rollout/core';
import { describe, expect, it } from 'vitest';

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

  it('orders by instant, not by string', () => {
    const range = new TimeRange();
    // 09:30+02:00 is 07:30Z, the earliest instant; 11:00:00.5+01:00 is 10:00:00.5Z, the latest.
    for (const value of ['2026-03-01T10:00:00Z', '2026-03-01T09:30:00+02:00', 'garbage', '2026-03-01T11:00:00.5+01:00', undefined])
      range.add(value);
    expect(range.startedAt).toBe('2026-03-01T07:30:00.000Z');
    expect(range.endedAt).toBe('2026-03-01T10:00:00.500Z');
  });
});
