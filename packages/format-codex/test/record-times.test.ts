import { TimeRange, toEpochMs } from '@agent-rollout/core';
import { describe, expect, it } from 'vitest';
import { canonicalEpochMs, RecordTimes } from '../src/record-times.js';

describe('canonicalEpochMs', () => {
  it('reads the form Codex writes as core does', () => {
    const samples = [
      '2026-11-24T01:46:09.123Z',
      '2025-09-01T00:00:00.000Z',
      '1999-12-31T23:59:59.999Z',
      '0100-01-01T00:00:00.000Z',
      '9999-12-31T23:59:59.999Z',
      '2025-02-31T10:00:00.000Z',
      '2024-02-29T12:30:45.678Z',
    ];
    for (const text of samples) {
      expect(canonicalEpochMs(text), text).toBe(toEpochMs(text));
      expect(canonicalEpochMs(text), text).not.toBeUndefined();
    }
  });

  it('leaves every other text to core (which may read it or not)', () => {
    const others = [
      '2025-09-01T12:00:00.123456Z',
      '2025-09-01 12:00:00.000Z',
      '2025-09-01T12:00:00.000+02:00',
      '2025-09-01T12:00:00Z',
      '0099-01-01T00:00:00.000Z',
      '2025-13-01T00:00:00.000Z',
      '2025-00-10T00:00:00.000Z',
      '2025-01-00T00:00:00.000Z',
      '2025-01-32T00:00:00.000Z',
      '2025-01-01T24:00:00.000Z',
      '2025-01-01T23:60:00.000Z',
      '2025-01-01T23:00:60.000Z',
      '2025-01-01T23:00:00.00aZ',
      '2025-0a-01T00:00:00.000Z',
      ' 025-01-01T00:00:00.000Z',
      '2025-01-01T00:00:00.000z',
    ];
    for (const text of others) expect(canonicalEpochMs(text), text).toBeUndefined();
  });
});

describe('RecordTimes', () => {
  it('gives the same range as core TimeRange, whatever the form of the values', () => {
    const values: unknown[] = [
      '2026-11-24T01:46:09.123Z',
      '2026-11-24T03:46:09.123+02:00',
      '2025-01-01T24:00:00.000Z',
      '2026-11-24T01:46:09.123456Z',
      1_732_000_000,
      'not a time',
      undefined,
      '2026-11-25T00:00:00.000Z',
    ];
    const ours = new RecordTimes();
    const core = new TimeRange();
    for (const value of values) {
      ours.add(value);
      core.add(value);
      expect([ours.startedAt, ours.endedAt]).toEqual([core.startedAt, core.endedAt]);
    }
    expect(new RecordTimes().startedAt).toBeNull();
  });
});
