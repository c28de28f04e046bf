import path from 'node:path';
import { FormatRegistry, type NormalizedRollout, type ReadOptions, type RunReport, readRollouts } from '@agent-rollout/core';
import { AtifFormat } from '../src/index.js';

/** The folder of the test fixtures. */
export const fixturesDir = path.join(import.meta.dirname, 'fixtures');

/** Reads a fixture folder through core's reader, as a user of the package would. */
export async function readFixtures(
  folder: string,
  options: Omit<ReadOptions, 'registry'> = {},
): Promise<{ rows: NormalizedRollout[]; report: RunReport; byTrace: Map<string, NormalizedRollout> }> {
  const registry = new FormatRegistry();
  registry.register(new AtifFormat(), { packageName: '@agent-rollout/format-atif' });
  const read = readRollouts({ format: 'atif', path: path.join(fixturesDir, folder) }, { ...options, registry });
  const rows: NormalizedRollout[] = [];
  for await (const row of read) rows.push(row);
  return { rows, report: read.report, byTrace: new Map(rows.map((row) => [row.trace_id, row])) };
}
