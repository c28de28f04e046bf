import path from 'node:path';
import { assertFormatConformance, runtimePackageImports } from '@agent-rollout/core/testing';
import { expect, it } from 'vitest';
import { AtifFormat } from '../src/index.js';
import { fixturesDir } from './read-fixtures.js';

it('keeps the plugin contract on its fixtures', async () => {
  const result = await assertFormatConformance({
    handler: new AtifFormat(),
    packageJsonPath: path.join(import.meta.dirname, '..', 'package.json'),
    fixturesRoot: path.join(fixturesDir, 'trajectories'),
    minRows: 7,
  });
  expect(result.ok).toBe(true);
  expect(result.rows).toBe(7);
});

it('loads core through its format entry, so a parse worker does not load zod with it', () => {
  const loaded = runtimePackageImports(path.join(import.meta.dirname, '..', 'src', 'index.ts'));
  expect(loaded).toContain('@agent-rollout/core/format');
  expect([...loaded].filter((name) => name === '@agent-rollout/core' || name === 'zod')).toEqual([]);
});
