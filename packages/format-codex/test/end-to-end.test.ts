import path from 'node:path';
import { defaultRegistry, type NormalizedRollout, readRollouts, serializeRollout } from '@agent-rollout/core';
import { expect, it } from 'vitest';
import { CodexFormat } from '../src/index.js';
import { CORPUS } from './helpers.js';

it('reads a Codex home folder through core reader and the default registry', async () => {
  // Importing the package registered the format; the reader finds it by id.
  expect(defaultRegistry().get('codex')).toBeInstanceOf(CodexFormat);
  const root = path.join(CORPUS, '0.169.0', 'home', '.codex');
  const read = readRollouts({ format: 'codex', path: root });
  const rows: NormalizedRollout[] = [];
  for await (const row of read) rows.push(row);

  expect(read.report.completed).toBe(true);
  expect(read.report.files).toMatchObject({ matched: 6, handled: 6, parsed: 6, failed: 0, skipped: 0 });
  expect(read.report.warnings).toEqual([]);
  expect(rows.map((row) => row.source_kind)).toEqual(Array(6).fill('codex'));
  expect(rows.map((row) => row.message_count)).toEqual([15, 8, 8, 14, 11, 8]);
  expect(rows.map((row) => row.tool_call_count)).toEqual([6, 2, 2, 3, 2, 1]);
  expect(rows.filter((row) => row.is_sidechain).map((row) => row.root_session_id)).toEqual(['01a20b3b-5c20-7211-a1e1-96d2f69a6e3e']);
  expect(rows[0]?.final_assistant_message).toBe(
    'Fixed. `mean()` in `statkit/stats.py` divided by `len(values) - 1`; it now divides by `len(values)`. The tests pass now.',
  );
  // Every row serializes to one line of JSON that reads back as the same row.
  for (const row of rows) expect(JSON.parse(serializeRollout(row))).toEqual(row);
});
