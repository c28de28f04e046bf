import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMPOSED, parseOne } from './helpers.js';

describe('rule 3: tool results become tool messages after the call they answer', () => {
  it('pairs results by id, keeps is_error, and keeps text and image blocks', async () => {
    const { rows } = await parseOne(path.join(COMPOSED, 'tool-results.jsonl'));
    const messages = rows[0]?.messages ?? [];
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant', 'tool', 'assistant']);
    expect(messages[2]).toEqual({
      role: 'tool',
      content: [
        { type: 'text', text: 'Screen captured' },
        { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
      ],
      tool_call_id: 'tu_shot',
      is_error: false,
    });
    expect(messages[4]?.tool_call_id).toBe('tu_read');
    expect(messages[4]?.is_error).toBe(true);
  });

  it('keeps a call whose result never came and counts it', async () => {
    const { rows } = await parseOne(path.join(COMPOSED, 'tool-results.jsonl'));
    const last = rows[0]?.messages.at(-1);
    expect(last?.tool_calls?.[0]?.id).toBe('tu_ls');
    expect(rows[0]?.tool_call_count).toBe(3);
    expect(rows[0]?.source_meta.tool_calls_without_result).toBe(1);
  });
});
