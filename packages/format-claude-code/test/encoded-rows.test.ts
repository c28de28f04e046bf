import { encodeRows, serializeRollout } from '@agent-rollout/core';
import { describe, expect, it } from 'vitest';
import { corpusProjects, readFolder } from './helpers.js';

describe.each(['2.1.330', '2.0.76', '1.0.56'])('the rows of the Claude Code %s corpus, encoded as JSONL', (version) => {
  it('are byte for byte what JSON.stringify writes', async () => {
    const { rows } = await readFolder(corpusProjects(version));
    expect(rows.length).toBeGreaterThan(0);
    const expected = Buffer.from(rows.map((row) => `${serializeRollout(row)}\n`).join(''), 'utf8');
    expect(Buffer.from(encodeRows(rows).jsonl).equals(expected)).toBe(true);
  });
});

it('holds tool outputs long enough to be escaped on bytes (over 4,096 characters)', async () => {
  const { rows } = await readFolder(corpusProjects('2.1.330'));
  let longest = 0;
  JSON.stringify(rows, (_key, value: unknown) => {
    if (typeof value === 'string') longest = Math.max(longest, value.length);
    return value;
  });
  expect(longest).toBeGreaterThan(4096);
});
