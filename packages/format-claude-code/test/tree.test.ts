import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMPOSED, parseOne, textOf } from './helpers.js';

describe('rule 2: the row follows the path the user ended on', () => {
  it('leaves an abandoned branch out of messages and counts it', async () => {
    const { rows } = await parseOne(path.join(COMPOSED, 'rewind.jsonl'));
    const row = rows[0];
    expect(row?.messages.map(textOf)).toEqual(['Write a haiku', '(haiku)', 'Now about snow', '(snow haiku)']);
    expect(row?.source_meta.branches).toEqual({ leaves: 2, abandoned_branches: 1, abandoned_records: 2 });
    // The branch title whose leaf is on the chosen path.
    expect(row?.source_meta.summary).toBe('Naming colours');
  });

  it('keeps progress records in the tree so that lines hanging off them are reached', async () => {
    const { rows } = await parseOne(path.join(COMPOSED, 'rewind.jsonl'));
    // a2b's parent is the progress record p1; without it the walk would stop before the prompt.
    expect(rows[0]?.messages[0]?.content).toEqual([{ type: 'text', text: 'Write a haiku' }]);
    expect(rows[0]?.source_meta.record_types).toEqual({ assistant: 3, progress: 1, summary: 1, user: 3 });
  });

  it('keeps the results of parallel calls that sit on side branches of the path', async () => {
    const { rows } = await parseOne(path.join(COMPOSED, 'split-parallel.jsonl'));
    const tools = rows[0]?.messages.filter((m) => m.role === 'tool') ?? [];
    expect(tools.map((m) => m.tool_call_id)).toEqual(['tu_1', 'tu_2']);
    expect(rows[0]?.source_meta.branches).toEqual({ leaves: 2, abandoned_branches: 0, abandoned_records: 0 });
  });
});

describe('a lagging parallel tool result', () => {
  it('is not taken as the end of the session even when its timestamp is the latest', async () => {
    const { mkdtemp, readFile, rm, writeFile } = await import('node:fs/promises');
    const os = await import('node:os');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'cc-tree-'));
    try {
      const lines = (await readFile(path.join(COMPOSED, 'split-parallel.jsonl'), 'utf8')).trimEnd().split('\n');
      // r1 (the result of the first parallel call) is stamped after the final answer.
      const lagging = lines.map((line) =>
        line.replace(
          '"uuid":"r1","parentUuid":"a2","timestamp":"2026-01-05T10:00:03.000Z"',
          '"uuid":"r1","parentUuid":"a2","timestamp":"2026-01-05T10:00:09.000Z"',
        ),
      );
      expect(lagging.join('\n')).toContain('10:00:09.000Z');
      const file = path.join(dir, 'lagging.jsonl');
      await writeFile(file, `${lagging.join('\n')}\n`);
      const { rows } = await parseOne(file);
      expect(rows[0]?.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'tool', 'assistant']);
      expect(rows[0]?.final_assistant_message).toBe('Two files; the shell works.');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
