import type { NormalizedRollout } from '@agent-rollout/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { readFixtures } from './read-fixtures.js';

let byTrace: Map<string, NormalizedRollout>;
let warnings: { path: string; message: string }[];

beforeAll(async () => {
  const read = await readFixtures('trajectories');
  byTrace = read.byTrace;
  warnings = read.report.warnings;
});

function row(traceId: string): NormalizedRollout {
  const found = byTrace.get(traceId);
  if (!found) throw new Error(`no row ${traceId}; rows: ${[...byTrace.keys()].join(', ')}`);
  return found;
}

describe('a v1.6 trajectory with tool calls', () => {
  it('maps steps to system, user, assistant and paired tool messages', () => {
    const r = row('run-7f2');
    expect(r.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'assistant', 'tool', 'tool', 'assistant']);
    expect(r.messages[2]).toMatchObject({
      reasoning_content: 'find with -name and wc -l is enough.',
      tool_calls: [
        { id: 'call_count', type: 'function', function: { name: 'bash', arguments: '{"cmd":"find src -name \'*.py\' | wc -l"}' } },
      ],
    });
    expect(r.messages[3]).toMatchObject({ role: 'tool', tool_call_id: 'call_count', content: [{ type: 'text', text: '12\n' }] });
    expect(r.messages.filter((m) => m.role === 'tool').map((m) => m.tool_call_id)).toEqual(['call_count', 'call_sizes', 'call_chart']);
    expect(r.tool_call_count).toBe(3);
    expect(r.final_assistant_message).toBe('There are 12 Python files under src/; the largest is src/parser.py.');
  });

  it('keeps images as image blocks that point at the file next to the trajectory', () => {
    const chart = row('run-7f2').messages.find((m) => m.tool_call_id === 'call_chart');
    expect(chart?.content[1]).toEqual({
      type: 'image_url',
      image_url: {
        url: expect.stringMatching(/^file:\/\/.*\/count-py-files__7f2\/agent\/images\/coverage\.png$/),
        media_type: 'image/png',
      },
    });
  });

  it('takes started_at and ended_at chronologically across offsets, not in string order', () => {
    const r = row('run-7f2');
    expect(r.started_at).toBe('2026-05-02T07:00:07.500Z');
    expect(r.ended_at).toBe('2026-05-02T09:00:04.000Z');
  });

  it('reads cwd and branch from agent.extra and keeps versions, tools and metrics in source_meta', () => {
    const r = row('run-7f2');
    expect([r.cwd, r.project_path, r.git_branch]).toEqual(['/app', '/app', 'main']);
    expect(r.source_meta).toMatchObject({
      schema_version: 'ATIF-v1.6',
      session_id: 'run-7f2',
      agent_name: 'terminus-2',
      model_name: 'gpt-5',
      tool_definition_names: ['bash'],
      step_usage: { prompt_tokens: 3010, completion_tokens: 115, cached_tokens: 2500, steps_with_metrics: 3 },
      final_metrics: { total_steps: 5 },
    });
    expect(r.messages[2]?.metadata).toMatchObject({ step_id: 3, model_name: 'gpt-5', metrics: { prompt_tokens: 900 } });
  });
});

describe('v1.7 subagents', () => {
  it('gives an embedded subagent trajectory its own sidechain row under the parent', () => {
    const sub = row('traj-main-a41:traj-explore-1');
    expect(sub).toMatchObject({ root_session_id: 'traj-main-a41', agent_id: 'traj-explore-1', is_sidechain: true });
    expect(sub.source_meta).toMatchObject({
      parent_trace_id: 'traj-main-a41',
      parent_origin: 'embedded',
      parent_step_id: 3,
      parent_tool_call_id: 'call_explore',
    });
    expect(sub.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
    // It worked where its parent did: the embedded trajectory names no place of its own.
    expect(sub.cwd).toBe('/workspace/statkit');
  });

  it('gives a subagent referenced by trajectory_path its own sidechain row, linked to the calling step', () => {
    const sub = row('traj-main-a41:traj-review-1');
    expect(sub.source_path).toMatch(/trajectory\.review-1\.json$/);
    expect(sub).toMatchObject({ root_session_id: 'traj-main-a41', agent_id: 'traj-review-1', is_sidechain: true });
    expect(sub.source_meta).toMatchObject({
      parent_trace_id: 'traj-main-a41',
      parent_origin: 'file',
      parent_step_id: 4,
      parent_tool_call_id: 'call_review',
    });
  });

  it('names the subagent rows from the parent: refs in source_meta and on the delegating tool message', () => {
    const parent = row('traj-main-a41');
    expect(parent.trace_id).toBe('traj-main-a41');
    expect(parent.is_sidechain).toBe(false);
    expect((parent.source_meta.subagent_trajectory_refs as { trace_id: string }[]).map((ref) => ref.trace_id)).toEqual([
      'traj-main-a41:traj-explore-1',
      'traj-main-a41:traj-review-1',
    ]);
    const delegation = parent.messages.find((m) => m.tool_call_id === 'call_review');
    expect(delegation?.metadata).toMatchObject({ subagent_trace_ids: ['traj-main-a41:traj-review-1'] });
  });

  it('keeps the run-scoped session_id in source_meta and uses trajectory_id as the trace id', () => {
    expect(row('traj-main-a41').source_meta).toMatchObject({ session_id: 'job-2026-05-02', trajectory_id: 'traj-main-a41' });
  });

  it('emits an observation on a system step (context management) as a system message', () => {
    const parent = row('traj-main-a41');
    const compaction = parent.messages.filter((m) => m.metadata?.step_id === 5);
    expect(compaction.map((m) => m.role)).toEqual(['system', 'system']);
    expect(compaction[0]?.metadata?.context_management).toEqual({ type: 'compaction', boundary: 'replace' });
    expect(compaction[1]?.content).toEqual([
      { type: 'text', text: 'Summary so far: the bug was the divisor of mean(); it is fixed and reviewed.' },
    ]);
    expect(parent.source_meta.context_management_steps).toBe(1);
  });
});

describe('copied context and continuations', () => {
  it('drops is_copied_context steps from the messages and counts them', () => {
    const cont = row('run-longcat:cont-1');
    expect(cont.messages.map((m) => m.metadata?.step_id)).toEqual([4, 5, 5, 6]);
    expect(cont.source_meta).toMatchObject({ copied_context_step_count: 3, copied_context_step_ids: [1, 2, 3] });
    // The copied steps' times do not stretch the segment.
    expect(cont.started_at).toBe('2026-05-04T08:20:00.000Z');
  });

  it('links a continuation file to the first segment as the same tree, not a sidechain', () => {
    const cont = row('run-longcat:cont-1');
    expect(cont).toMatchObject({ root_session_id: 'run-longcat', agent_id: null, is_sidechain: false });
    expect(cont.source_meta).toMatchObject({ parent_trace_id: 'run-longcat', parent_origin: 'continuation', continuation_segment: 1 });
    expect(row('run-longcat').source_meta.continued_trajectory_ref).toBe('trajectory.cont-1.json');
  });
});

describe('observations without a tool call and missing ids', () => {
  it('derives a stable trace id from the file when there is no session_id or trajectory_id', async () => {
    const derived = [...byTrace.keys()].filter((id) => id.startsWith('atif-'));
    expect(derived).toHaveLength(1);
    expect(derived[0]).toMatch(/^atif-[0-9a-f]{16}$/);
    const again = await readFixtures('trajectories');
    expect(again.byTrace.has(derived[0] ?? '')).toBe(true);
  });

  it('emits a result with no source_call_id as a user message, as the model saw it', () => {
    const raw = [...byTrace.values()].find((r) => r.source_path.includes('raw-terminus'));
    expect(raw?.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'assistant']);
    expect(raw?.messages[2]).toMatchObject({
      content: [{ type: 'text', text: 'New Terminal Output:\n6.8.0-45-generic\n' }],
      metadata: { observation: true },
    });
    expect(raw?.source_meta).toMatchObject({ observations_without_call: 1, dispatch_steps: 1, session_id: null });
    expect(raw?.tool_call_count).toBe(0);
  });
});

describe('files that are not trajectories', () => {
  it('skips a JSON file that is not ATIF, with the reason, and warns about nothing in the good files', async () => {
    const { report } = await readFixtures('trajectories');
    expect(report.skipped).toEqual([
      { path: 'relay/config.json', reason: 'not an ATIF trajectory (no "schema_version" starting with "ATIF-v")' },
    ]);
    expect(warnings).toEqual([]);
  });
});
