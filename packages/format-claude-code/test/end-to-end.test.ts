import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMPOSED, readFolder } from './helpers.js';

const HOME = path.join(COMPOSED, 'claude-home');

describe('an end-to-end read of a ~/.claude folder through core reader', () => {
  it('reads sessions and subagents, skips bookkeeping files silently, and reports helpers', async () => {
    const { rows, report } = await readFolder(HOME);
    expect(rows.map((row) => row.trace_id)).toEqual([
      '11111111-1111-4111-8111-111111111111',
      '11111111-1111-4111-8111-111111111111:a1b2c3d4e5f60718',
      '22222222-2222-4222-8222-222222222222',
      '33333333-3333-4333-8333-333333333333',
      '22222222-2222-4222-8222-222222222222:b0c1d2e3',
    ]);
    // history.jsonl, todos/legacy.jsonl and the workflow journal match *.jsonl but are not sessions.
    expect(report.files).toMatchObject({ matched: 11, unhandled: 3, handled: 8, parsed: 5, skipped: 3, failed: 0 });
    expect(report.unhandledFiles).toEqual([]);
    expect(report.warnings).toEqual([]);
    expect(report.failures).toEqual([]);
    expect(report.skipped.map((entry) => entry.path)).toEqual([
      'projects/-work-app/11111111-1111-4111-8111-111111111111/subagents/agent-acompact-e1f845.jsonl',
      'projects/-work-app/44444444-4444-4444-8444-444444444444.jsonl',
      'projects/-work-app/agent-c9c9c9c9.jsonl',
    ]);
  });
});
