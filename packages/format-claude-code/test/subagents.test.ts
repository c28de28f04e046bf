import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMPOSED, corpusProjects, FIXTURES, readFolder, textOf } from './helpers.js';

const HOME = path.join(COMPOSED, 'claude-home');
const S = '11111111-1111-4111-8111-111111111111';
const S2 = '22222222-2222-4222-8222-222222222222';
const S3 = '33333333-3333-4333-8333-333333333333';

describe('rule 6: subagents are rows of their own, helpers are skipped, copies are not counted twice', () => {
  it('2.1.2+ layout: links the subagent to its parent tool call through meta.json', async () => {
    const { rows } = await readFolder(HOME);
    const sub = rows.find((row) => row.trace_id === `${S}:a1b2c3d4e5f60718`);
    expect(sub).toMatchObject({ agent_id: 'a1b2c3d4e5f60718', is_sidechain: true, root_session_id: S });
    expect(sub?.source_meta).toMatchObject({ parent_tool_call_id: 'toolu_9', agent_type: 'Explore', agent_description: 'Find TODOs' });
    expect(sub?.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
    const parent = rows.find((row) => row.trace_id === S);
    expect(parent?.source_meta.subagents).toEqual([`${S}:a1b2c3d4e5f60718`]);
    expect(parent?.source_meta.helper_agents_skipped).toBe(1);
  });

  it('2.0.28-2.1.1 layout: links a flat agent file through the tool result that names its agentId', async () => {
    const { rows, report } = await readFolder(HOME);
    const sub = rows.find((row) => row.trace_id === `${S2}:b0c1d2e3`);
    expect(sub?.source_meta).toMatchObject({
      parent_tool_call_id: 'toolu_t',
      agent_type: 'general-purpose',
      agent_description: 'Count tests',
    });
    expect(rows.find((row) => row.trace_id === S2)?.source_meta.subagents).toEqual([`${S2}:b0c1d2e3`]);
    expect(report.skipped).toContainEqual({
      path: 'projects/-work-app/agent-c9c9c9c9.jsonl',
      reason: 'warm-up agent (its only prompt is "Warmup"), not a subagent the model started',
    });
    expect(report.skipped).toContainEqual({
      path: `projects/-work-app/${S}/subagents/agent-acompact-e1f845.jsonl`,
      reason: 'internal helper agent "compact" of the CLI (not a subagent the model started)',
    });
  });

  it('1.x layout: splits an in-file sidechain into its own row linked by its prompt', async () => {
    const root = corpusProjects('1.0.56');
    const { rows } = await readFolder(root);
    const parent = rows.find((row) => row.trace_id === '73768988-9aa5-422b-be02-e3569da61859');
    const sub = rows.find((row) => row.trace_id.startsWith('73768988-9aa5-422b-be02-e3569da61859:'));
    expect(sub?.is_sidechain).toBe(true);
    expect(sub?.source_meta.parent_tool_call_id).toBe('toolu_01KXcjhFC8JxKIwxAHwZC9Vw');
    expect(parent?.source_meta.subagents).toEqual([sub?.trace_id]);
    // The parent keeps only its own conversation.
    expect(parent?.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
  });

  it('does not count lines and responses copied into a resumed session twice', async () => {
    const { rows } = await readFolder(HOME);
    const resumed = rows.find((row) => row.trace_id === S3);
    // The copy keeps the whole conversation ...
    expect(resumed?.messages.map(textOf)).toContain('And how many are skipped?');
    expect(resumed?.messages[0]?.content).toEqual([{ type: 'text', text: 'Count the tests' }]);
    // ... but only the new response counts as usage; the copies are marked and counted.
    expect(resumed?.source_meta.token_usage).toEqual({
      'claude-opus-4-6': { responses: 1, input_tokens: 50, output_tokens: 5, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
    });
    expect(resumed?.source_meta.replayed).toEqual({ responses: 2, lines: 4, from_sessions: [S2] });
    expect(resumed?.messages[1]?.metadata).toMatchObject({ replayed_from: S2 });
  });
});

describe('an agent file that names no session', () => {
  it('looks up copies but never owns the lines it shares with a session', async () => {
    // Both files hold the same two lines; the agent's copies are even older, yet the session,
    // the only file that names its session, is where they were first written.
    const { rows } = await readFolder(path.join(FIXTURES, 'agent-without-session'));
    const session = rows.find((row) => row.trace_id === '55555555-5555-4555-8555-555555555555');
    const agent = rows.find((row) => row.agent_id === 'dddd1111');
    expect(session?.source_meta.replayed).toBeUndefined();
    expect(session?.source_meta.token_usage).toMatchObject({ 'claude-sonnet-4-5': { responses: 1 } });
    expect(agent?.source_meta.replayed).toEqual({ responses: 1, lines: 2, from_sessions: ['55555555-5555-4555-8555-555555555555'] });
  });
});
