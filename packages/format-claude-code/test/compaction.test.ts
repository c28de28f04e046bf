import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMPOSED, parseOne, textOf } from './helpers.js';

describe('rule 5: compaction keeps the history and marks the summary', () => {
  it('follows logicalParentUuid across the boundary and marks the summary once', async () => {
    const { rows } = await parseOne(path.join(COMPOSED, 'compaction.jsonl'));
    const messages = rows[0]?.messages ?? [];
    expect(messages.map((m) => [m.role, m.metadata?.kind ?? null, textOf(m).slice(0, 20)])).toEqual([
      ['user', null, 'Do step 9'],
      ['assistant', null, 'Step 9 done.'],
      ['system', 'compact_boundary', 'Conversation compact'],
      ['user', 'compact_summary', 'This session is bein'],
      ['user', null, 'Continue with step 1'],
      ['assistant', null, 'Continuing with step'],
    ]);
    expect(messages[2]?.metadata).toEqual({ kind: 'compact_boundary', trigger: 'auto', pre_tokens: 155012 });
    expect(rows[0]?.source_meta.first_prompt).toBe('Do step 9');
  });

  it('joins the history of files written before boundary records existed', async () => {
    const { rows } = await parseOne(path.join(COMPOSED, 'compaction-old.jsonl'));
    expect(rows[0]?.messages.map((m) => textOf(m).slice(0, 12))).toEqual([
      'Do step 1',
      'Step 1 done.',
      'This session',
      'Do step 2',
      'Step 2 done.',
    ]);
    expect(rows[0]?.source_meta.branches).toEqual({ leaves: 2, abandoned_branches: 0, abandoned_records: 0 });
  });
});
