import path from 'node:path';
import { defaultRegistry, type NormalizedRollout, readRollouts, validateRollout } from '@agent-rollout/core';
import { expect, it } from 'vitest';
import '../src/index.js';
import { fixturesDir } from './read-fixtures.js';

it('reads a folder of trajectories through core with nothing but the package imported', async () => {
  expect(defaultRegistry().getRegistration('atif')?.packageName).toBe('@agent-rollout/format-atif');
  const read = readRollouts({ format: 'atif', path: path.join(fixturesDir, 'trajectories') });
  const rows: NormalizedRollout[] = [];
  for await (const row of read) rows.push(row);

  expect(rows.map((row) => [row.trace_id, row.root_session_id, row.is_sidechain])).toEqual([
    ['run-7f2', 'run-7f2', false],
    ['traj-main-a41', 'traj-main-a41', false],
    ['traj-main-a41:traj-explore-1', 'traj-main-a41', true],
    ['traj-main-a41:traj-review-1', 'traj-main-a41', true],
    ['run-longcat:cont-1', 'run-longcat', false],
    ['run-longcat', 'run-longcat', false],
    [expect.stringMatching(/^atif-[0-9a-f]{16}$/), expect.stringMatching(/^atif-/), false],
  ]);
  for (const row of rows) expect(validateRollout(row)).toEqual([]);
  expect(read.report.files).toEqual({ matched: 7, handled: 7, unhandled: 0, notSelected: 0, parsed: 6, skipped: 1, failed: 0 });
  expect(read.report.rows).toBe(7);
  expect(read.report.completed).toBe(true);
});

it('links a subagent file to its parent even when the parent is in another partition', async () => {
  // Shards are balanced by size: the large parent lands in shard 0, the review subagent in shard 1.
  const read = readRollouts(
    { format: 'atif', path: path.join(fixturesDir, 'trajectories', 'harbor-job', 'fix-mean__a41') },
    { selection: { partition: { index: 1, count: 2 } } },
  );
  const rows: NormalizedRollout[] = [];
  for await (const row of read) rows.push(row);
  expect(rows.map((row) => [row.trace_id, row.root_session_id, row.source_meta.parent_trace_id])).toEqual([
    ['traj-main-a41:traj-review-1', 'traj-main-a41', 'traj-main-a41'],
  ]);
  expect(read.report.files.notSelected).toBe(1);
});
