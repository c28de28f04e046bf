import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMPOSED, parseOne, textOf } from './helpers.js';

describe('rule 4: attachments and system records of CLI 2.1.x', () => {
  it('maps rendered context to system, queued input to user, and counts the rest', async () => {
    const { rows } = await parseOne(path.join(COMPOSED, 'attachments.jsonl'));
    const row = rows[0];
    expect(row?.messages.map((m) => [m.role, m.metadata?.kind ?? null, textOf(m).slice(0, 24)])).toEqual([
      ['user', null, 'Fix the lint errors'],
      ['system', 'attachment', "<system-reminder>\nToday'"],
      ['assistant', null, ''],
      ['tool', null, '2 errors'],
      ['user', 'queued_command', 'also run the tests'],
      ['system', 'command_output', '<local-command-stdout>Co'],
      ['assistant', null, 'Two lint errors; I will '],
    ]);
    expect(row?.messages[1]?.metadata).toEqual({ kind: 'attachment', attachment_type: 'date' });
    expect(row?.source_meta.attachment_types).toEqual({ date: 1, prompt_snapshot: 1, queued_command: 1 });
    expect(row?.source_meta.system_subtypes).toEqual({ local_command: 1 });
  });
});
