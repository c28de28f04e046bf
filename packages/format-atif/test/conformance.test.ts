import path from 'node:path';
import { assertFormatConformance } from '@agent-rollout/core/testing';
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
