import path from 'node:path';
import { assertFormatConformance } from '@agent-rollout/core/testing';
import { expect, it } from 'vitest';
import { CodexFormat } from '../src/index.js';
import { CORPUS } from './helpers.js';

it('keeps the plugin contract on every real rollout of the corpus', async () => {
  const result = await assertFormatConformance({
    handler: new CodexFormat(),
    packageJsonPath: path.join(import.meta.dirname, '..', 'package.json'),
    fixturesRoot: CORPUS,
    minRows: 23,
  });
  expect(result.ok).toBe(true);
  expect(result.rows).toBe(23);
  expect(result.report.files).toMatchObject({ handled: 23, parsed: 23, failed: 0, skipped: 0 });
});
