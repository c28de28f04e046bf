import path from 'node:path';
import type { ChatMessage, NormalizedRollout } from '@agent-rollout/core';
import { FormatRegistry, readRollouts, validateRollout } from '@agent-rollout/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { CodexFormat } from '../src/index.js';
import {
  COMPOSED,
  CORPUS,
  CURRENT_FILE,
  corpusRow,
  ENVELOPE_FILE,
  LEGACY_FILE,
  readComposed,
  readCorpusVersion,
  readFolder,
  textOf,
} from './helpers.js';

let legacy: NormalizedRollout;
let envelope: NormalizedRollout;
let current: NormalizedRollout;

beforeAll(async () => {
  legacy = (await readComposed(LEGACY_FILE)).row;
  envelope = (await readComposed(ENVELOPE_FILE)).row;
  current = (await readComposed(CURRENT_FILE)).row;
});

const meta = (row: NormalizedRollout): Record<string, unknown> => row.source_meta as Record<string, unknown>;
const withText = (row: NormalizedRollout, text: string): ChatMessage[] => row.messages.filter((m) => textOf(m).includes(text));
const allReasoning = (row: NormalizedRollout): string[] => row.messages.flatMap((m) => (m.reasoning_content ? [m.reasoning_content] : []));
const callOf = (row: NormalizedRollout, id: string) => row.messages.flatMap((m) => m.tool_calls ?? []).find((call) => call.id === id);
const toolMessage = (row: NormalizedRollout, id: string) => row.messages.find((m) => m.role === 'tool' && m.tool_call_id === id);

describe('rule 1: conversation content comes from response items only', () => {
  it('keeps a prompt, an answer and reasoning once although events repeat them (envelope)', () => {
    expect(withText(envelope, 'Why does the build fail?')).toHaveLength(1);
    expect(withText(envelope, 'A missing type import in src/a.ts.')).toHaveLength(1);
    expect(allReasoning(envelope).filter((r) => r.includes('Run the build first.'))).toEqual(['Run the build first.']);
  });

  it('ignores item_completed copies of messages and reasoning (current)', () => {
    expect(withText(current, 'is how my notes start')).toHaveLength(1);
    expect(withText(current, 'Checking.')).toHaveLength(1);
    expect(allReasoning(current).filter((r) => r.includes('Look at the files.'))).toHaveLength(1);
  });

  it('uses events only for facts no item holds (token counts, aborted turns, spawned agents)', () => {
    expect(meta(envelope).aborted_turns).toBe(1);
    expect(meta(envelope).token_usage).toBeDefined();
  });
});

describe('rule 2: one model response is one assistant message', () => {
  it('joins reasoning, commentary text and parallel calls, and keeps the phase', () => {
    const message = current.messages[4] as ChatMessage;
    expect(message.role).toBe('assistant');
    expect(textOf(message)).toBe('Checking.');
    expect(message.reasoning_content).toBe('Look at the files.');
    expect(message.tool_calls?.map((call) => call.id)).toEqual(['c1', 'c2']);
    expect(message.metadata).toEqual({ phase: 'commentary' });
    expect(withText(current, 'Done: the patch')[0]?.metadata).toEqual({ phase: 'final_answer' });
  });

  it('keeps parallel calls that older CLIs wrote as call, output, call, output in one message', () => {
    const message = legacy.messages[2] as ChatMessage;
    expect(message.tool_calls?.map((call) => call.id)).toEqual(['call_a', 'call_b']);
    expect(legacy.messages.slice(3, 5).map((m) => m.tool_call_id)).toEqual(['call_a', 'call_b']);
  });

  it('gives as many assistant messages as the model gave responses (real 0.34 and 0.29 files)', async () => {
    const bugfix034 = await corpusRow('0.34.0', 'a9e71fec-e2b4-4216-a055-bf84f8611e1b');
    expect(bugfix034.messages.filter((m) => m.role === 'assistant')).toHaveLength(6);
    const bugfix029 = await corpusRow('0.29.0', '2ea5146c-7d68-43d7-9c34-00309c712fea');
    expect(bugfix029.messages.filter((m) => m.role === 'assistant')).toHaveLength(6);
    // A resume copy replays history in one batch: its responses are still told apart.
    const copy = await corpusRow('0.29.0', '6ac1e581-5e74-48fb-b0bb-c94dbd61d480');
    expect(copy.messages.filter((m) => m.role === 'assistant')).toHaveLength(6);
  });

  it('starts a new message for text that follows a tool output', () => {
    const index = envelope.messages.findIndex((m) => textOf(m) === 'A missing type import in src/a.ts.');
    expect(envelope.messages[index - 1]?.role).toBe('tool');
    expect(envelope.messages[index]?.tool_calls).toBeUndefined();
  });
});

describe('rule 3: roles and injected context', () => {
  it('maps developer messages to system', () => {
    expect(current.messages[0]).toMatchObject({ role: 'system', metadata: { source_role: 'developer' } });
  });

  it('maps injected user messages to system, marked with their kind', () => {
    const injected = (row: NormalizedRollout) =>
      row.messages.filter((m) => m.metadata?.injected !== undefined).map((m) => [m.role, m.metadata?.injected]);
    expect(injected(envelope)).toEqual([
      ['system', 'user_instructions'],
      ['system', 'environment_context'],
      ['system', 'turn_aborted'],
    ]);
    expect(injected(current)).toEqual([
      ['system', 'environment_context'],
      ['system', 'user_instructions'],
    ]);
    expect(injected(legacy)).toEqual([['system', 'environment_context']]);
  });

  it('trusts provenance over wrapper tags: a human prompt that starts like a block stays a user turn', () => {
    const [prompt] = withText(current, 'is how my notes start');
    expect(prompt?.role).toBe('user');
    expect(prompt?.metadata).toBeUndefined();
  });

  it('counts only human prompts as human turns', () => {
    expect(current.messages.filter((m) => m.role === 'user' && !m.metadata).length).toBe(meta(current).human_turns);
    expect(meta(envelope).human_turns).toBe(3);
    expect(meta(legacy).human_turns).toBe(1);
  });

  it('keeps images as image blocks', () => {
    const [prompt] = withText(current, 'Again, with this screenshot?');
    expect(prompt?.content[1]).toEqual({ type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } });
  });
});

describe('rule 4: reasoning placement', () => {
  it('attaches reasoning to the next call of the same turn and prefers raw content over summaries', () => {
    expect(callOf(current, 'c3')).toBeDefined();
    const message = current.messages.find((m) => m.tool_calls?.some((call) => call.id === 'c3'));
    expect(message?.reasoning_content).toBe('Raw: a is a directory, so patch the file inside it.');
    expect(allReasoning(current).join('\n')).not.toContain('Summary: patch it.');
    expect(withText(envelope, 'A missing type import')[0]?.reasoning_content).toBe('Raw: the type import is missing in src/a.ts.');
  });

  it('never carries reasoning across a turn boundary or a user message, and keeps the left-over', () => {
    expect(meta(current).unattached_reasoning).toEqual(['Left over: nothing follows in this turn.']);
    expect(allReasoning(current).join('\n')).not.toContain('Left over');
    expect(meta(envelope).unattached_reasoning).toEqual(['Maybe rebuild too.']);
    expect(withText(envelope, "You're welcome.")[0]?.reasoning_content).toBeUndefined();
  });

  it('counts encrypted reasoning without decoding or attaching it', () => {
    expect(meta(legacy).reasoning).toEqual({ items: 1, encrypted_items: 1, attached: 0, unattached: 0 });
    expect(allReasoning(legacy)).toEqual([]);
    expect(JSON.stringify(legacy)).not.toContain('gAAAA-opaque');
  });

  it('attaches each real reasoning block exactly once (real 0.169 bugfix)', async () => {
    const row = await corpusRow('0.169.0', '01a20b3b-3a29-7920-ae3d-c93285e8dd89');
    expect(allReasoning(row)).toHaveLength(3);
    expect(meta(row).reasoning).toEqual({ items: 3, encrypted_items: 3, attached: 3, unattached: 0 });
  });
});

describe('rule 5: tool calls and their outputs', () => {
  it('turns free-form input into {"input": <text>} arguments', () => {
    const call = callOf(legacy, 'call_9');
    expect(call?.function.name).toBe('apply_patch');
    expect(JSON.parse(call?.function.arguments ?? '')).toEqual({
      input: '*** Begin Patch\n*** Add File: README.md\n+# App\n*** End Patch',
    });
    expect(JSON.parse(callOf(current, 'c3')?.function.arguments ?? '')).toEqual({
      input: '*** Begin Patch\n*** Update File: a/x\n*** End Patch',
    });
  });

  it('keeps JSON object arguments byte for byte, argv arrays included', () => {
    expect(callOf(legacy, 'call_a')?.function.arguments).toBe('{"command": ["bash", "-lc", "ls"]}');
  });

  it('maps local shell, web search, tool search and namespaced calls', () => {
    expect(callOf(envelope, 'call_2')?.function.name).toBe('local_shell');
    expect(JSON.parse(callOf(envelope, 'call_2')?.function.arguments ?? '')).toMatchObject({
      type: 'exec',
      working_directory: '/home/dev/app',
    });
    expect(callOf(envelope, 'ws_1')?.function).toEqual({
      name: 'web_search',
      arguments: '{"type":"search","query":"TS2304 cannot find name"}',
    });
    expect(callOf(current, 'ts_1')?.function).toEqual({ name: 'tool_search', arguments: '{"query":"file tools"}' });
    expect(callOf(current, 'c1')?.function.name).toBe('shell_tools.exec_command');
  });

  it('keeps success and failure from exit codes, shell headers, success flags and events', () => {
    expect(toolMessage(legacy, 'call_b')).toMatchObject({ is_error: true, metadata: { exit_code: 1 } });
    expect(toolMessage(legacy, 'call_a')).toMatchObject({ is_error: false, metadata: { exit_code: 0 } });
    expect(toolMessage(current, 'c2')).toMatchObject({ is_error: true, metadata: { exit_code: 1 } });
    expect(toolMessage(current, 'c3')).toMatchObject({
      is_error: true,
      content: [{ type: 'text', text: 'patch rejected: a/x does not exist' }],
    });
    // The output says nothing; the exec_command_end event does.
    expect(toolMessage(envelope, 'call_2')?.is_error).toBe(false);
    // Nothing says: left unset rather than guessed.
    expect(toolMessage(legacy, 'call_9')?.is_error).toBeUndefined();
  });

  it('gives a reused call id a suffix so every output pairs with its own call', () => {
    expect(meta(current).renamed_call_ids).toEqual(['c1']);
    expect(callOf(current, 'c1#2')).toBeDefined();
    expect(current.messages.filter((m) => m.role === 'tool').map((m) => m.tool_call_id)).toEqual(['c1', 'c2', 'c3', 'ts_1', 'c1#2']);
  });

  it('makes every arguments the JSON text of an object, in every real and composed row', async () => {
    const { rows } = await readFolder(CORPUS);
    for (const row of [...rows, legacy, envelope, current]) {
      expect(validateRollout(row)).toEqual([]);
      for (const call of row.messages.flatMap((m) => m.tool_calls ?? [])) {
        const parsed: unknown = JSON.parse(call.function.arguments);
        expect(typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)).toBe(true);
      }
    }
  });

  it('marks the failing tool calls of the real sessions as errors, and only those', async () => {
    for (const version of ['0.29.0', '0.34.0', '0.77.0', '0.169.0']) {
      const rows = [...(await readCorpusVersion(version)).values()];
      const failed = rows.flatMap((row) => row.messages.filter((m) => m.is_error === true).map(textOf));
      // bugfix: the first test run fails; toolerror: `cat` of the missing file fails.
      expect(failed).toHaveLength(2);
      expect(failed.some((text) => text.includes('FAIL: test_mean'))).toBe(true);
      expect(failed.some((text) => text.includes('config/settings.yaml: No such file or directory'))).toBe(true);
    }
  });
});

describe('rule 6: resumed sessions and sub-agent threads', () => {
  it('keeps every turn of a resumed session appended to one file in one row', async () => {
    const row = await corpusRow('0.169.0', '01a20b3b-4cdc-7c63-922b-3bda7d68acc4');
    expect(meta(row).human_turns).toBe(3);
    expect(row.messages.filter((m) => m.role === 'user').map(textOf)).toEqual([
      'Explain what median() in statkit/stats.py does, briefly.',
      'Good. Add a docstring to median() saying it returns the middle value (the mean of the two middle values for even lengths), then show me the function.',
      "Thanks, that's all for now.",
    ]);
    expect(meta(envelope).turns).toHaveLength(2);
  });

  it('makes sub-agent threads their own rows linked to the parent and its spawn call', async () => {
    const { rows } = await readFolder(path.join(COMPOSED, 'subagents'));
    const byId = new Map(rows.map((row) => [row.trace_id, row]));
    const parent = byId.get('0d0d0d0d-0000-4000-8000-00000000000a');
    const child = byId.get('0d0d0d0d-0000-4000-8000-00000000000b');
    const grandchild = byId.get('0d0d0d0d-0000-4000-8000-00000000000c');
    expect(parent).toMatchObject({ is_sidechain: false, agent_id: null, root_session_id: '0d0d0d0d-0000-4000-8000-00000000000a' });
    expect(child).toMatchObject({ is_sidechain: true, agent_id: child?.trace_id, root_session_id: parent?.trace_id });
    expect(meta(child as NormalizedRollout).subagent).toMatchObject({
      parent_thread_id: parent?.trace_id,
      parent_spawn_call_id: 'call_spawn_c',
      depth: 1,
      agent_path: '/root/count',
    });
    // Depth 2: the root is the top-level thread, the parent is the sub-agent that spawned it.
    expect(grandchild).toMatchObject({ is_sidechain: true, root_session_id: parent?.trace_id });
    expect(meta(grandchild as NormalizedRollout).subagent).toMatchObject({
      parent_thread_id: child?.trace_id,
      parent_spawn_call_id: 'call_spawn_g',
      depth: 2,
    });
    expect(meta(parent as NormalizedRollout).spawned_agents).toEqual([
      { call_id: 'call_spawn_c', agent_thread_id: child?.trace_id, agent_path: '/root/count' },
    ]);
    // The sub-agent's task and answer travel as agent messages.
    expect(child?.messages[0]).toMatchObject({ role: 'user', metadata: { agent_message: true, author: '/root' } });
  });

  it('marks a sub-agent thread that names no parent (a review thread) as a sidechain of its own', async () => {
    const { rows } = await readFolder(path.join(COMPOSED, 'subagents'));
    const review = rows.find((row) => row.trace_id === '0d0d0d0d-0000-4000-8000-00000000000d');
    expect(review).toMatchObject({ is_sidechain: true, agent_id: review?.trace_id, root_session_id: review?.trace_id });
    expect(meta(review as NormalizedRollout).subagent).toMatchObject({
      kind: 'review',
      parent_thread_id: null,
      parent_spawn_call_id: null,
    });
  });

  it('links the real 0.169 sub-agent thread to the spawn call sessions.md names', async () => {
    const row = await corpusRow('0.169.0', '01a20b3b-5da4-7c03-8bdd-6b91396af67c');
    expect(row).toMatchObject({
      is_sidechain: true,
      agent_id: '01a20b3b-5da4-7c03-8bdd-6b91396af67c',
      root_session_id: '01a20b3b-5c20-7211-a1e1-96d2f69a6e3e',
    });
    expect(meta(row).subagent).toMatchObject({ parent_spawn_call_id: 'call_kWCW4oaZbiSBD9xIQ1tEFw' });
  });

  it('keeps 0.29 resume copies as separate rows and notes the replayed history', async () => {
    const rows = await readCorpusVersion('0.29.0');
    const copies = [...rows.values()].filter((row) => meta(row).replayed_history !== undefined);
    expect(copies.map((row) => meta(row).replayed_history)).toEqual([
      { turns: 1, items: 6 },
      { turns: 2, items: 13 },
    ]);
    expect(meta(legacy).replayed_history).toBeUndefined();
  });
});

describe('rule 7: compacted history', () => {
  it('adds the summary once, marked, and not the replacement history', () => {
    const summaries = envelope.messages.filter((m) => m.metadata?.compaction === true);
    expect(summaries).toHaveLength(1);
    expect(summaries[0]).toMatchObject({ role: 'system', metadata: { compaction: true, replaced_items: 2 } });
    expect(textOf(summaries[0] as ChatMessage)).toContain('Summary: the build failed');
    expect(withText(envelope, 'Why does the build fail?')).toHaveLength(1);
    expect(meta(envelope).compactions).toBe(1);
  });
});

describe('rule 8: row fields', () => {
  it('fills the row columns from session_meta and turn_context', () => {
    expect(envelope).toMatchObject({
      trace_id: '0b0b0b0b-0000-4000-8000-000000000002',
      source_kind: 'codex',
      root_session_id: '0b0b0b0b-0000-4000-8000-000000000002',
      agent_id: null,
      is_sidechain: false,
      cwd: '/home/dev/app',
      project_path: '/home/dev/app',
      git_branch: 'main',
    });
    expect(meta(envelope)).toMatchObject({
      generation: 'envelope',
      cli_version: '0.44.0',
      originator: 'codex_cli_rs',
      model_provider: 'openai',
      models: ['gpt-5-codex'],
      reasoning_efforts: ['medium', 'high'],
      approval_policy: 'on-request',
      sandbox_policy: 'workspace-write',
    });
    // A 0.29 file names no cwd in its session line: the environment block does.
    expect(legacy).toMatchObject({ cwd: '/home/dev/app', git_branch: 'feature/readme' });
  });

  it('orders timestamps by instant, not by text', () => {
    // 10:30+02:00 sorts after 09:00Z as text but is 08:30Z.
    expect(envelope.started_at).toBe('2025-10-02T08:30:00.000Z');
    expect(envelope.ended_at).toBe('2025-10-02T09:06:05.000Z');
  });

  it('takes token usage from the final cumulative totals, never a sum of snapshots', () => {
    expect(meta(current).token_usage).toEqual({
      input_tokens: 7500,
      cached_input_tokens: 0,
      cache_write_input_tokens: 0,
      output_tokens: 155,
      reasoning_output_tokens: 6,
      total_tokens: 7655,
    });
    expect(meta(current).token_usage_source).toBe('token_usage_record');
    // A resumed process starts its running total again: each segment's final total counts once.
    expect(meta(envelope)).toMatchObject({
      token_usage: { input_tokens: 2400, cached_input_tokens: 100, output_tokens: 100, reasoning_output_tokens: 12, total_tokens: 2500 },
      token_usage_source: 'token_count',
      token_usage_segments: 2,
    });
  });

  it('counts record, item and event types', () => {
    expect(meta(legacy).record_types).toEqual({ session_meta: 1, state: 5, response_item: 11 });
    expect(meta(current).record_types).toMatchObject({ world_state: 1, token_usage_record: 6, turn_context: 2 });
    expect(meta(envelope).event_types).toMatchObject({ user_message: 2, agent_reasoning: 2, token_count: 3 });
  });
});

describe('rule 9: unknown and bad input never fail a file', () => {
  it('skips and counts unknown record, event and item types', async () => {
    expect(meta(envelope).unknown_types).toEqual({
      'record:mystery_line': 1,
      'event_msg:brand_new_event': 1,
      'response_item:future_item': 1,
    });
    expect(meta(legacy).unknown_types).toEqual({ 'response_item:future_widget': 1 });
  });

  it('warns about a bad line and a truncated last line and keeps the rest', async () => {
    const { report } = await readComposed(ENVELOPE_FILE);
    expect(report.failures).toEqual([]);
    expect(report.warnings.map((w) => [w.line, w.message.split(';')[0]])).toEqual([
      [36, expect.stringContaining('expected a JSON object, found text that is not JSON')],
      [37, 'the last line is cut short (the session may still have been written)'],
    ]);
  });

  it('leaves out a tool output that answers no call, with a warning naming the line', async () => {
    const { rows, report } = await readFolder(path.join(COMPOSED, 'edge'));
    const row = rows.find((r) => r.trace_id === '0e0e0e0e-0000-4000-8000-000000000004');
    expect(row?.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(meta(row as NormalizedRollout).orphan_tool_outputs).toEqual(['call_lost']);
    expect(report.warnings).toContainEqual({
      path: 'rollout-2026-01-02T00-00-00-0e0e0e0e-0000-4000-8000-000000000004.jsonl',
      line: 3,
      message: 'expected a tool output to answer an earlier call, but no call has id call_lost; the output was left out',
    });
  });

  it('skips empty and metadata-only files with a reason, and fails a file that is not Codex', async () => {
    const { report } = await readFolder(path.join(COMPOSED, 'edge'));
    expect(report.skipped.map((s) => s.reason)).toEqual(['the file is empty', 'the rollout holds session metadata but no conversation']);
    expect(report.failures).toEqual([
      {
        path: 'rollout-2026-01-01T00-00-02-0e0e0e0e-0000-4000-8000-000000000003.jsonl',
        line: 1,
        reason: expect.stringContaining('expected Codex rollout lines'),
      },
    ]);
  });

  it('stops on the bad line when the read is strict', async () => {
    const registry = new FormatRegistry();
    registry.register(new CodexFormat(), { packageName: 'test' });
    const read = readRollouts(
      { format: 'codex', path: COMPOSED, filePattern: ENVELOPE_FILE, recursive: false },
      { registry, errorPolicy: 'strict' },
    );
    await expect(async () => {
      for await (const _row of read) {
        // drain
      }
    }).rejects.toThrow(/:36: expected a JSON object/);
  });
});
