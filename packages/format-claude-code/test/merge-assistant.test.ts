import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMPOSED, parseOne, textOf } from './helpers.js';

describe('rule 1: one API response written over several lines is one assistant message', () => {
  it('merges thinking and parallel tool_use lines that share message.id, in order', async () => {
    const { rows } = await parseOne(path.join(COMPOSED, 'split-parallel.jsonl'));
    expect(rows).toHaveLength(1);
    const messages = rows[0]?.messages ?? [];
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'tool', 'assistant']);
    const turn = messages[1];
    expect(turn?.reasoning_content).toBe('Two commands at once.');
    expect(turn?.tool_calls?.map((call) => [call.id, call.function.name, call.function.arguments])).toEqual([
      ['tu_1', 'Bash', '{"command":"ls"}'],
      ['tu_2', 'Bash', '{"command":"echo ok"}'],
    ]);
    expect(textOf(messages[4] ?? { content: [] })).toBe('Two files; the shell works.');
  });

  it('counts usage once per response, with the largest snapshot of a split response', async () => {
    const { rows } = await parseOne(path.join(COMPOSED, 'split-parallel.jsonl'));
    // msg_1 was written three times with output 3, 12 and 40: only 40 counts. msg_2 adds 60/9.
    expect(rows[0]?.source_meta.token_usage).toEqual({
      'claude-x': { responses: 2, input_tokens: 70, output_tokens: 49, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
    });
  });
});
