import { finalizeRollout, type RolloutDraft, serializeRollout, validateRollout } from '@agent-rollout/core';
import { describe, expect, it } from 'vitest';

function draft(messages: RolloutDraft['messages']): RolloutDraft {
  return {
    trace_id: 't1',
    source_kind: 'notes',
    source_path: 'sessions/t1.jsonl',
    root_session_id: 't1',
    agent_id: null,
    is_sidechain: false,
    cwd: '/work/project',
    project_path: '/work/project',
    git_branch: 'main',
    started_at: '2026-01-01T00:00:00.000Z',
    ended_at: '2026-01-01T00:01:00.000Z',
    messages,
    source_meta: { version: '1' },
  };
}

describe('finalizeRollout', () => {
  it('derives counts and the final assistant text, in canonical column order', () => {
    const row = finalizeRollout(
      draft([
        { role: 'user', content: [{ type: 'text', text: 'fix it' }] },
        {
          role: 'assistant',
          content: [{ type: 'text', text: 'Looking.' }],
          tool_calls: [
            { id: 'a', type: 'function', function: { name: 'read', arguments: '{}' } },
            { id: 'b', type: 'function', function: { name: 'grep', arguments: '{"q":"x"}' } },
          ],
        },
        { role: 'tool', content: [{ type: 'text', text: 'file' }], tool_call_id: 'a' },
        { role: 'tool', content: [{ type: 'text', text: 'match' }], tool_call_id: 'b', is_error: false },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Fixed' },
            { type: 'text', text: 'All tests pass.' },
          ],
        },
        { role: 'assistant', content: [], reasoning_content: 'done' },
      ]),
    );
    expect(row.message_count).toBe(6);
    expect(row.tool_call_count).toBe(2);
    expect(row.final_assistant_message).toBe('Fixed\n\nAll tests pass.');
    expect(Object.keys(row)).toEqual([
      'trace_id',
      'source_kind',
      'source_path',
      'root_session_id',
      'agent_id',
      'is_sidechain',
      'cwd',
      'project_path',
      'git_branch',
      'started_at',
      'ended_at',
      'messages',
      'source_meta',
      'message_count',
      'tool_call_count',
      'final_assistant_message',
    ]);
    expect(validateRollout(row)).toEqual([]);
  });

  it('leaves out empty optional message fields so equal rows serialize to equal bytes', () => {
    const a = finalizeRollout(
      draft([{ role: 'assistant', content: [{ type: 'text', text: 'x' }], reasoning_content: '', tool_calls: [], metadata: {} }]),
    );
    const b = finalizeRollout(draft([{ role: 'assistant', content: [{ type: 'text', text: 'x' }] }]));
    expect(a.messages[0]).toEqual({ role: 'assistant', content: [{ type: 'text', text: 'x' }] });
    expect(serializeRollout(a)).toBe(serializeRollout(b));
  });

  it('has no final assistant message when no assistant wrote text', () => {
    expect(finalizeRollout(draft([{ role: 'user', content: [{ type: 'text', text: 'hi' }] }])).final_assistant_message).toBeNull();
  });
});

describe('validateRollout', () => {
  it('finds a tool message with no earlier call, bad arguments and reused ids', () => {
    const row = finalizeRollout(
      draft([
        { role: 'tool', content: [{ type: 'text', text: 'early' }], tool_call_id: 'x' },
        {
          role: 'assistant',
          content: [],
          tool_calls: [
            { id: 'x', type: 'function', function: { name: 'run', arguments: '[1]' } },
            { id: 'x', type: 'function', function: { name: 'run', arguments: 'not json' } },
          ],
        },
      ]),
    );
    expect(validateRollout(row)).toEqual([
      'messages.0: tool message answers x, which no earlier assistant message called',
      'messages.1: the arguments of tool call x are not the JSON text of an object',
      'messages.1: tool call id x is used twice',
      'messages.1: the arguments of tool call x are not the JSON text of an object',
    ]);
  });

  it('keeps unknown content blocks and image blocks as they are', () => {
    const row = finalizeRollout(
      draft([
        {
          role: 'user',
          content: [
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            { type: 'document', source: { kind: 'pdf' } },
          ],
        },
      ]),
    );
    expect(validateRollout(row)).toEqual([]);
    expect(row.messages[0]?.content[1]).toEqual({ type: 'document', source: { kind: 'pdf' } });
  });

  it('rejects a row whose columns do not match the schema', () => {
    expect(validateRollout({ trace_id: '' })[0]).toMatch(/^trace_id:/);
  });
});
