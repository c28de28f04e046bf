// Codex rollouts as the CLI writes them (see shared/formats/codex.md): the 0.34 envelope
// (events beside response items, shell output as a JSON string) and the current 0.169
// envelope (ordinals, item_completed events, exec_command headers, token usage records,
// sub-agent threads in their own rollout).
import path from 'node:path';
import { LineWriter } from './line-writer.mjs';
import { toolCall } from './tool-output.mjs';

const VERSIONS = { 0.169: '0.169.0', 0.34: '0.34.0' };
const MODELS = { 0.169: 'gpt-5.5-codex', 0.34: 'gpt-5' };

function rolloutPath(sessionsDir, startMs, id) {
  const iso = new Date(startMs).toISOString();
  const [date, time] = iso.split('T');
  const [y, m, d] = date.split('-');
  return path.join(sessionsDir, y, m, d, `rollout-${date}T${time.slice(0, 8).replaceAll(':', '-')}-${id}.jsonl`);
}

function uuid7ish(random, ms) {
  const h = random.hex(20);
  const t = ms.toString(16).padStart(12, '0');
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${h.slice(0, 3)}-a${h.slice(3, 6)}-${h.slice(6, 18)}`;
}

/** Writes one thread of about `targetBytes` (plus a sub-agent thread now and then). Returns the files. */
export function writeCodexSession({ random, pool, generation, targetBytes, sessionsDir, startMs, huge = false, parentThread }) {
  const current = generation === '0.169';
  const id = uuid7ish(random, startMs);
  const files = [];
  const out = new LineWriter(rolloutPath(sessionsDir, startMs, id));
  const cwd = `/home/dev/src/${random.pick(['service', 'frontend', 'tooling', 'ml-jobs'])}-${random.hex(4)}`;
  let ms = startMs;
  let ordinal = 0;
  const stamp = (maxMs) => {
    ms += random.int(1, maxMs);
    return new Date(ms).toISOString();
  };
  const line = (type, payload, maxMs = 50, extra = {}) => {
    const record = current
      ? { timestamp: stamp(maxMs), ordinal: ordinal++, type, payload, ...extra }
      : { timestamp: stamp(maxMs), type, payload };
    out.record(record);
  };
  const model = MODELS[generation];
  line('session_meta', {
    ...(current ? { session_id: parentThread ?? id } : {}),
    id,
    timestamp: new Date(startMs).toISOString(),
    cwd,
    originator: current ? 'codex_exec' : 'codex_cli_rs',
    cli_version: VERSIONS[generation],
    ...(current && parentThread
      ? { source: { subagent: { thread_spawn: { parent_thread_id: parentThread, depth: 1 } } } }
      : { source: 'cli' }),
    model_provider: 'openai',
    ...(current
      ? { base_instructions: { text: pool.prose(random, random.int(2000, 8000)) } }
      : { instructions: pool.prose(random, random.int(500, 3000)) }),
    git: { commit_hash: random.hex(40), branch: 'main', repository_url: 'git@example.com:team/repo.git' },
  });

  let turn = 0;
  let totalInput = 0;
  let totalOutput = 0;
  while (out.bytes < targetBytes) {
    turn += 1;
    const turnId = uuid7ish(random, ms);
    if (current) line('event_msg', { type: 'task_started', turn_id: turnId, model_context_window: 272000 });
    line('turn_context', {
      turn_id: turnId,
      cwd,
      model,
      effort: 'medium',
      summary: 'detailed',
      approval_policy: 'never',
      sandbox_policy: { type: 'danger-full-access' },
    });
    if (turn === 1) {
      line('response_item', {
        type: 'message',
        role: 'user',
        content: [
          { type: 'input_text', text: `<environment_context>\n  <cwd>${cwd}</cwd>\n  <shell>bash</shell>\n</environment_context>` },
        ],
      });
    }
    const prompt = pool.prose(random, random.int(20, 800));
    line('response_item', { type: 'message', role: 'user', content: [{ type: 'input_text', text: prompt }] }, 60_000);
    if (current)
      line('event_msg', {
        type: 'item_completed',
        thread_id: id,
        turn_id: turnId,
        item: { type: 'UserMessage', id: random.uuid(), content: [{ type: 'text', text: prompt }] },
      });
    else line('event_msg', { type: 'user_message', message: prompt, kind: 'plain' });

    const steps = random.int(1, huge ? 12 : 8);
    for (let step = 0; step < steps && out.bytes < targetBytes; step += 1) {
      const last = step === steps - 1;
      if (random.chance(0.7)) {
        const summary = pool.prose(random, random.int(40, 1200));
        const reasoningId = `rs_${random.base62(22)}`;
        if (current)
          line('event_msg', {
            type: 'item_completed',
            thread_id: id,
            turn_id: turnId,
            item: { type: 'Reasoning', id: reasoningId, summary_text: [summary], raw_content: [] },
          });
        else line('event_msg', { type: 'agent_reasoning', text: summary });
        line('response_item', {
          type: 'reasoning',
          id: reasoningId,
          summary: [{ type: 'summary_text', text: summary }],
          content: null,
          encrypted_content: `gAAAAA${random.base62(random.int(200, 1500))}`,
        });
      }
      if (last || random.chance(0.4)) {
        const text = pool.prose(random, random.int(30, last ? 2500 : 500));
        const messageId = `msg_${random.base62(22)}`;
        if (current)
          line('event_msg', {
            type: 'item_completed',
            thread_id: id,
            turn_id: turnId,
            item: { type: 'AgentMessage', id: messageId, content: [{ type: 'Text', text }], phase: last ? 'final_answer' : 'commentary' },
          });
        line('response_item', {
          type: 'message',
          id: messageId,
          role: 'assistant',
          content: [{ type: 'output_text', text, annotations: [] }],
          ...(current ? { phase: last ? 'final_answer' : 'commentary' } : {}),
        });
        if (!current) line('event_msg', { type: 'agent_message', message: text });
      }
      if (last) break;
      const count = random.chance(0.3) ? random.int(2, 3) : 1;
      const calls = [];
      for (let i = 0; i < count; i += 1) {
        const call = toolCall(random, pool, cwd, huge);
        call.callId = `call_${random.base62(22)}`;
        call.patch = current && random.chance(0.1);
        calls.push(call);
        if (call.patch) {
          line('response_item', {
            type: 'custom_tool_call',
            id: `ctc_${random.base62(22)}`,
            status: 'completed',
            call_id: call.callId,
            name: 'apply_patch',
            input: `*** Begin Patch\n*** Update File: src/app.ts\n@@\n-${pool.prose(random, 80)}\n+${pool.prose(random, 80)}\n*** End Patch`,
          });
        } else {
          const command = call.command ?? `sed -n '1,200p' ${call.file ?? 'README.md'}`;
          const args = current
            ? { cmd: command, workdir: cwd, yield_time_ms: 2000 }
            : { command: ['bash', '-lc', command], workdir: cwd, timeout_ms: 120000 };
          line('response_item', {
            type: 'function_call',
            ...(current ? { status: 'completed', id: `fc_${random.base62(22)}` } : {}),
            name: current ? 'exec_command' : 'shell',
            arguments: JSON.stringify(args),
            call_id: call.callId,
          });
        }
      }
      if (current && !parentThread && !huge && random.chance(0.02)) {
        const spawnId = `call_${random.base62(22)}`;
        line('response_item', {
          type: 'function_call',
          status: 'completed',
          id: `fc_${random.base62(22)}`,
          name: 'spawn_agent',
          namespace: 'collaboration',
          arguments: JSON.stringify({ task: pool.prose(random, 200) }),
          call_id: spawnId,
        });
        const sub = writeCodexSession({
          random,
          pool,
          generation,
          targetBytes: random.logUniform(5000, 200_000),
          sessionsDir,
          startMs: ms + 1000,
          parentThread: id,
        });
        files.push(...sub);
        line('response_item', {
          type: 'function_call_output',
          call_id: spawnId,
          output: JSON.stringify({ agent_id: 'sub', status: 'completed' }),
        });
      }
      const input = random.int(1000, 200_000);
      const output = random.int(10, 3000);
      totalInput += input;
      totalOutput += output;
      if (current) {
        line('token_usage_record', {
          thread_id: id,
          turn_id: turnId,
          response_id: `resp_${random.base62(22)}`,
          usage: {
            input_tokens: input,
            cached_input_tokens: 0,
            output_tokens: output,
            reasoning_output_tokens: 0,
            total_tokens: input + output,
          },
        });
      }
      for (const call of calls) {
        const exitCode = call.failed ? 1 : 0;
        if (call.patch) {
          line(
            'response_item',
            {
              type: 'custom_tool_call_output',
              call_id: call.callId,
              output: `Exit code: 0\nWall time: 0 seconds\nOutput:\nSuccess. Updated the following files:\nM src/app.ts\n`,
            },
            2000,
          );
          continue;
        }
        if (current) {
          line(
            'event_msg',
            {
              type: 'item_completed',
              thread_id: id,
              turn_id: turnId,
              item: {
                type: 'CommandExecution',
                id: call.callId,
                command: ['/bin/bash', '-lc', call.command ?? 'sed'],
                cwd: `file://${cwd}`,
                exit_code: exitCode,
                aggregated_output: call.output,
              },
            },
            20_000,
          );
          const header = `Chunk ID: ${random.hex(6)}\nWall time: 0.${random.int(1000, 9999)} seconds\nProcess exited with code ${exitCode}\nOriginal token count: ${Math.ceil(call.output.length / 4)}\nOutput:\n`;
          line('response_item', {
            type: 'function_call_output',
            id: `fco_${random.base62(22)}`,
            call_id: call.callId,
            output: header + call.output,
          });
        } else {
          line(
            'response_item',
            {
              type: 'function_call_output',
              call_id: call.callId,
              output: JSON.stringify({ output: call.output, metadata: { exit_code: exitCode, duration_seconds: random.next() } }),
            },
            20_000,
          );
        }
      }
      line('event_msg', {
        type: 'token_count',
        info: {
          total_token_usage: {
            input_tokens: totalInput,
            cached_input_tokens: 0,
            output_tokens: totalOutput,
            reasoning_output_tokens: 0,
            total_tokens: totalInput + totalOutput,
          },
          model_context_window: 272000,
        },
      });
      if (current && random.chance(0.05)) line('world_state', { thread_id: id, summary: pool.prose(random, random.int(100, 1000)) });
    }
    if (current) line('event_msg', { type: 'task_complete', turn_id: turnId, last_agent_message: null });
  }
  out.close();
  files.unshift({ path: out.path, bytes: out.bytes, lines: out.lines });
  return files;
}
