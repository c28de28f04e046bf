import { finalizeRollout } from '../../src/schema/derive.js';
import type { ChatMessage, NormalizedRollout } from '../../src/schema/row.js';

/** A finished row with the given messages; other columns are fixed. */
export function rowWith(traceId: string, messages: ChatMessage[], extra: Partial<NormalizedRollout> = {}): NormalizedRollout {
  return finalizeRollout({
    trace_id: traceId,
    source_kind: 'test_format',
    source_path: `${traceId}.jsonl`,
    root_session_id: traceId,
    agent_id: null,
    is_sidechain: false,
    cwd: '/work/project',
    project_path: '/work/project',
    git_branch: 'main',
    started_at: '2026-11-02T09:00:00.000Z',
    ended_at: '2026-11-02T09:05:30.250Z',
    messages,
    source_meta: { models: ['model-a'], note: 'ünïcode ✓' },
    ...extra,
  });
}

export const text = (value: string) => [{ type: 'text' as const, text: value }];

/** A session with a system prompt, a tool call and its answer, reasoning and a final answer. */
export function toolSession(traceId: string): NormalizedRollout {
  return rowWith(traceId, [
    { role: 'system', content: text('Be brief.') },
    { role: 'user', content: text('Run the tests.') },
    {
      role: 'assistant',
      content: text('Running them.'),
      reasoning_content: 'The user wants the tests run.',
      tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'Bash', arguments: '{"command":"pytest"}' } }],
    },
    { role: 'tool', content: text('3 passed'), tool_call_id: 'call_1', is_error: false },
    { role: 'assistant', content: text('All 3 tests pass.') },
  ]);
}
