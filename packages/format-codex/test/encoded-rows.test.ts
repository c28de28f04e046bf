import path from 'node:path';
import { encodeRows, type NormalizedRollout, serializeRollout } from '@agent-rollout/core';
import { describe, expect, it } from 'vitest';
import { CLI_VERSIONS, CORPUS, readFolder } from './helpers.js';

/** The longest string anywhere in the rows. */
function longestString(rows: readonly NormalizedRollout[]): number {
  let longest = 0;
  JSON.stringify(rows, (_key, value: unknown) => {
    if (typeof value === 'string') longest = Math.max(longest, value.length);
    return value;
  });
  return longest;
}

describe.each(CLI_VERSIONS)('the rows of the Codex %s corpus, encoded as JSONL', (version) => {
  it('are byte for byte what JSON.stringify writes', async () => {
    const { rows } = await readFolder(path.join(CORPUS, version));
    expect(rows.length).toBeGreaterThan(0);
    const expected = Buffer.from(rows.map((row) => `${serializeRollout(row)}\n`).join(''), 'utf8');
    expect(Buffer.from(encodeRows(rows).jsonl).equals(expected)).toBe(true);
    if (version === '0.169.0') expect(longestString(rows)).toBeGreaterThan(4096);
  });
});
