import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMPOSED, parseOne, textOf } from './helpers.js';

describe('rule 7: unknown records and blocks never fail a file', () => {
  it('counts unknown record types, keeps unknown and server blocks as they are', async () => {
    const { rows, warnings } = await parseOne(path.join(COMPOSED, 'unknown.jsonl'));
    expect(warnings).toEqual([]);
    const row = rows[0];
    expect(row?.source_meta.record_types).toEqual({
      'api-request-blob': 1,
      assistant: 4,
      'future-bookkeeping': 1,
      system: 1,
      user: 1,
    });
    expect(row?.source_meta.system_subtypes).toEqual({ turn_duration: 1 });
    const answer = row?.messages[1];
    expect(answer?.content.map((block) => block.type)).toEqual(['server_tool_use', 'web_search_tool_result', 'hologram', 'text']);
    expect(answer?.content[2]).toEqual({ type: 'hologram', data: 'opaque' });
    expect(row?.source_meta.kept_block_types).toEqual({ hologram: 1, server_tool_use: 1, web_search_tool_result: 1 });
  });

  it('keeps a CLI-made assistant line marked as synthetic, out of models and usage', async () => {
    const { rows } = await parseOne(path.join(COMPOSED, 'unknown.jsonl'));
    const row = rows[0];
    const synthetic = row?.messages.at(-1);
    expect(textOf(synthetic ?? { content: [] })).toBe('No response requested.');
    expect(synthetic?.metadata).toEqual({ model: '<synthetic>', synthetic: true });
    expect(row?.source_meta.models).toEqual(['claude-x']);
    expect(Object.keys(row?.source_meta.token_usage as object)).toEqual(['claude-x']);
    expect(row?.final_assistant_message).toBe('No response requested.');
  });
});
