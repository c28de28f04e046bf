import path from 'node:path';
import { assertFormatConformance, runtimePackageImports } from '@agent-rollout/core/testing';
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

it('loads core through its format entry, so a parse worker does not load zod with it', () => {
  const loaded = runtimePackageImports(path.join(import.meta.dirname, '..', 'src', 'index.ts'));
  expect(loaded).toContain('@agent-rollout/core/format');
  expect([...loaded].filter((name) => name === '@agent-rollout/core' || name === 'zod')).toEqual([]);
});
