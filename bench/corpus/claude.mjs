// Claude Code sessions as the CLI writes them (see shared/formats/claude-code.md): one line
// per content block of an assistant response, tool results forking the tree, bookkeeping
// lines, thinking, subagents in their own files (2.x) or inline (1.0), a few images.
import path from 'node:path';
import { LineWriter } from './line-writer.mjs';
import { base64Blob } from './random.mjs';
import { toolCall } from './tool-output.mjs';

const VERSIONS = { 2.1: '2.1.330', '2.0': '2.0.76', '1.0': '1.0.56' };
const MODELS = { 2.1: 'claude-opus-5-5', '2.0': 'claude-sonnet-4-5-20250929', '1.0': 'claude-sonnet-4-20250514' };

function encodeCwd(cwd) {
  return cwd.replace(/[/.]/g, '-');
}

class Clock {
  constructor(start) {
    this.ms = start;
  }
  tick(random, maxMs) {
    this.ms += random.int(5, maxMs);
    return new Date(this.ms).toISOString();
  }
}

/**
 * Writes one session of about `targetBytes` (plus its subagent files) under `projectsDir`.
 * Returns the files written with their sizes.
 */
export function writeClaudeSession({ random, pool, generation, targetBytes, projectsDir, startMs, huge = false }) {
  const sessionId = random.uuid();
  const cwd = `/home/dev/work/${random.pick(['api', 'webapp', 'statkit', 'infra', 'cli-tool', 'docs-site'])}-${random.hex(4)}`;
  const projectDir = path.join(projectsDir, encodeCwd(cwd));
  const version = VERSIONS[generation];
  const model = MODELS[generation];
  const files = [];
  const out = new LineWriter(path.join(projectDir, `${sessionId}.jsonl`));
  const clock = new Clock(startMs);
  const envelope = (extra) => ({
    isSidechain: false,
    userType: 'external',
    cwd,
    sessionId,
    version,
    gitBranch: 'main',
    ...(generation === '2.1' ? { entrypoint: 'cli' } : {}),
    ...extra,
  });
  let parent = null;

  if (generation === '1.0') {
    for (let i = random.int(0, 3); i > 0; i -= 1)
      out.record({ type: 'summary', summary: pool.prose(random, random.int(20, 80)), leafUuid: random.uuid() });
  }

  let turn = 0;
  while (out.bytes < targetBytes) {
    turn += 1;
    const prompt = pool.prose(random, random.int(20, 600));
    if (generation !== '1.0') {
      out.record({ type: 'queue-operation', operation: 'enqueue', timestamp: clock.tick(random, 50), sessionId, content: prompt });
      out.record({ type: 'queue-operation', operation: 'dequeue', timestamp: clock.tick(random, 5), sessionId });
    }
    const userUuid = random.uuid();
    const withImage = random.chance(huge ? 0.0005 : 0.004);
    const content = withImage
      ? [
          { type: 'text', text: prompt },
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: base64Blob(random, random.int(20_000, 400_000)) } },
        ]
      : prompt;
    out.record(
      envelope({
        parentUuid: parent,
        type: 'user',
        message: { role: 'user', content },
        uuid: userUuid,
        timestamp: clock.tick(random, 60_000),
        ...(generation === '2.1' ? { promptId: random.uuid(), permissionMode: 'default', promptSource: 'typed' } : {}),
      }),
    );
    parent = userUuid;

    if (generation === '2.1') {
      for (let i = random.int(1, 3); i > 0; i -= 1) {
        const uuid = random.uuid();
        const text = `<system-reminder>\n${pool.prose(random, random.int(200, 3000))}\n</system-reminder>`;
        out.record(
          envelope({
            parentUuid: parent,
            attachment: { type: random.pick(['environment', 'date', 'skill_listing', 'session_context']), text },
            type: 'attachment',
            uuid,
            timestamp: clock.tick(random, 20),
            rendered: [{ content: text }],
            renderedRole: 'system',
          }),
        );
        parent = uuid;
      }
      out.record({ type: 'atis-latch', atis: '', sessionId });
    }

    const steps = random.int(1, huge ? 12 : 8);
    for (let step = 0; step < steps && out.bytes < targetBytes; step += 1) {
      const last = step === steps - 1;
      const messageId = `msg_${random.base62(24)}`;
      const requestId = `req_${random.base62(24)}`;
      if (generation === '2.1') {
        out.record({
          type: 'api-request',
          sessionId,
          id: random.uuid(),
          timestamp: clock.tick(random, 30),
          version,
          querySource: 'cli',
          shapeHash: random.hex(64),
          params: { model, max_tokens: 128000, thinking: { type: 'enabled', budget_tokens: 8000 }, messages: random.int(1, 400) },
        });
        if (random.chance(0.2)) {
          out.record({
            type: 'api-request-blob',
            sessionId,
            hash: random.hex(64),
            message: { role: 'user', content: [{ type: 'text', text: pool.prose(random, random.int(100, 2000)) }] },
          });
        }
      }
      const usage = {
        input_tokens: random.int(100, 150_000),
        cache_creation_input_tokens: random.int(0, 5000),
        cache_read_input_tokens: random.int(0, 100_000),
        output_tokens: random.int(10, 4000),
        service_tier: 'standard',
      };
      const blocks = [];
      if (random.chance(0.6))
        blocks.push({ type: 'thinking', thinking: pool.prose(random, random.int(50, 2500)), signature: `sig_${random.base62(64)}` });
      if (last || random.chance(0.5)) blocks.push({ type: 'text', text: pool.prose(random, random.int(30, last ? 2500 : 600)) });
      const calls = [];
      if (!last) {
        const count = random.chance(0.3) ? random.int(2, 3) : 1;
        for (let i = 0; i < count; i += 1) {
          const call = toolCall(random, pool, cwd, huge);
          call.id = `toolu_${random.base62(24)}`;
          calls.push(call);
          blocks.push({ type: 'tool_use', id: call.id, name: call.name, input: call.input });
        }
      }
      const subagent = !last && generation !== '1.0' && !huge && random.chance(0.03);
      if (subagent) {
        const call = { id: `toolu_${random.base62(24)}`, name: generation === '2.1' ? 'Agent' : 'Task', subagent: true };
        call.input = { description: 'Search the code', prompt: pool.prose(random, random.int(50, 400)), subagent_type: 'general-purpose' };
        calls.push(call);
        blocks.push({ type: 'tool_use', id: call.id, name: call.name, input: call.input });
      }
      // One line per content block (older versions sometimes wrote one line per response).
      const lineBlocks = generation === '1.0' && random.chance(0.3) ? [blocks] : blocks.map((block) => [block]);
      const toolUseLine = new Map();
      for (const group of lineBlocks) {
        const uuid = random.uuid();
        out.record(
          envelope({
            parentUuid: parent,
            message: {
              id: messageId,
              type: 'message',
              role: 'assistant',
              model,
              content: group,
              stop_reason: last ? 'end_turn' : 'tool_use',
              stop_sequence: null,
              usage,
            },
            ...(generation === '1.0' ? {} : { requestId }),
            type: 'assistant',
            uuid,
            timestamp: clock.tick(random, 3000),
          }),
        );
        for (const block of group) if (block.type === 'tool_use') toolUseLine.set(block.id, uuid);
        parent = uuid;
      }
      // Each result hangs off its own tool_use line: parallel calls fork the tree.
      let lastResult = parent;
      for (const call of calls) {
        const uuid = random.uuid();
        let text;
        let toolUseResult;
        if (call.subagent) {
          const agentId = generation === '2.1' ? random.hex(17) : random.hex(7);
          text = writeSubagent({
            random,
            pool,
            generation,
            agentId,
            sessionId,
            cwd,
            projectDir,
            clock,
            model,
            version,
            prompt: call.input.prompt,
            files,
          });
          toolUseResult = { status: 'completed', agentId, totalTokens: random.int(1000, 90_000), totalToolUseCount: random.int(1, 20) };
        } else {
          text = call.failed && call.name === 'Bash' ? `Exit code 1\n${call.output}` : call.output;
          toolUseResult =
            call.name === 'Bash'
              ? { stdout: call.output, stderr: '', interrupted: false, isImage: false }
              : call.name === 'Read'
                ? { type: 'text', file: { filePath: call.file, content: call.output, numLines: 0, startLine: 1, totalLines: 0 } }
                : { result: call.output.slice(0, 200) };
        }
        out.record(
          envelope({
            parentUuid: toolUseLine.get(call.id) ?? parent,
            type: 'user',
            message: {
              role: 'user',
              content: [{ tool_use_id: call.id, type: 'tool_result', content: text, ...(call.failed ? { is_error: true } : {}) }],
            },
            uuid,
            timestamp: clock.tick(random, 20_000),
            toolUseResult: call.failed && generation === '1.0' ? `Error: ${text.slice(0, 200)}` : toolUseResult,
            ...(generation === '2.1' ? { sourceToolAssistantUUID: toolUseLine.get(call.id) } : {}),
          }),
        );
        lastResult = uuid;
      }
      parent = lastResult;
      if (generation === '1.0' && subagentInline(random, huge)) {
        parent = writeInlineSidechain({ random, pool, out, envelope, clock, model, parent });
      }
    }
    if (generation === '2.1') {
      out.record({ type: 'last-prompt', lastPrompt: prompt.slice(0, 200), leafUuid: parent, sessionId });
      if (turn % 3 === 0) out.record({ type: 'tools-used', tools: ['Bash', 'Read', 'Edit', 'Grep'], sessionId });
    }
  }
  if (generation === '2.1') {
    out.record({
      type: 'cost-state',
      sessionId,
      totalCostUSD: random.next() * 20,
      totalDuration: random.int(1000, 9_000_000),
      modelUsage: { [model]: { inputTokens: random.int(1000, 9_000_000) } },
    });
  }
  out.close();
  files.unshift({ path: out.path, bytes: out.bytes, lines: out.lines });
  return files;
}

function subagentInline(random, huge) {
  return !huge && random.chance(0.02);
}

/** 1.0: a Task's sidechain lines live in the parent's file. Returns the parent uuid to continue from. */
function writeInlineSidechain({ random, pool, out, envelope, clock, model, parent }) {
  let sideParent = null;
  for (let i = random.int(2, 6); i > 0; i -= 1) {
    const uuid = random.uuid();
    const assistant = i % 2 === 1;
    out.record(
      envelope({
        isSidechain: true,
        parentUuid: sideParent,
        type: assistant ? 'assistant' : 'user',
        message: assistant
          ? {
              id: `msg_${random.base62(24)}`,
              type: 'message',
              role: 'assistant',
              model,
              content: [{ type: 'text', text: pool.prose(random, random.int(50, 1500)) }],
              usage: { input_tokens: 10, output_tokens: 10 },
            }
          : { role: 'user', content: pool.prose(random, random.int(50, 800)) },
        uuid,
        timestamp: clock.tick(random, 2000),
      }),
    );
    sideParent = uuid;
  }
  return parent;
}

/** 2.x: the subagent's transcript in a file of its own. Returns the text of its final answer. */
function writeSubagent({ random, pool, generation, agentId, sessionId, cwd, projectDir, clock, model, version, prompt, files }) {
  const file =
    generation === '2.1'
      ? path.join(projectDir, sessionId, 'subagents', `agent-${agentId}.jsonl`)
      : path.join(projectDir, `agent-${agentId}.jsonl`);
  const out = new LineWriter(file);
  const target = random.logUniform(5000, 300_000);
  const base = { isSidechain: true, userType: 'external', cwd, sessionId, version, gitBranch: 'main', agentId };
  let parent = null;
  const first = random.uuid();
  out.record({
    ...base,
    parentUuid: null,
    type: 'user',
    message: { role: 'user', content: prompt },
    uuid: first,
    timestamp: clock.tick(random, 100),
  });
  parent = first;
  let answer = '';
  while (out.bytes < target) {
    const call = toolCall(random, pool, cwd, false);
    const id = `toolu_${random.base62(24)}`;
    const assistantUuid = random.uuid();
    out.record({
      ...base,
      parentUuid: parent,
      message: {
        id: `msg_${random.base62(24)}`,
        type: 'message',
        role: 'assistant',
        model,
        content: [{ type: 'tool_use', id, name: call.name, input: call.input }],
        usage: { input_tokens: 100, output_tokens: 50 },
      },
      requestId: `req_${random.base62(24)}`,
      type: 'assistant',
      uuid: assistantUuid,
      timestamp: clock.tick(random, 2000),
    });
    const resultUuid = random.uuid();
    out.record({
      ...base,
      parentUuid: assistantUuid,
      type: 'user',
      message: { role: 'user', content: [{ tool_use_id: id, type: 'tool_result', content: call.output }] },
      uuid: resultUuid,
      timestamp: clock.tick(random, 5000),
    });
    parent = resultUuid;
  }
  answer = pool.prose(random, random.int(100, 1500));
  out.record({
    ...base,
    parentUuid: parent,
    message: {
      id: `msg_${random.base62(24)}`,
      type: 'message',
      role: 'assistant',
      model,
      content: [{ type: 'text', text: answer }],
      stop_reason: 'end_turn',
      usage: { input_tokens: 100, output_tokens: 50 },
    },
    type: 'assistant',
    uuid: random.uuid(),
    timestamp: clock.tick(random, 2000),
  });
  out.close();
  files.push({ path: out.path, bytes: out.bytes, lines: out.lines });
  if (generation === '2.1') {
    const meta = path.join(path.dirname(file), `agent-${agentId}.meta.json`);
    const metaWriter = new LineWriter(meta);
    metaWriter.raw(JSON.stringify({ agentType: 'general-purpose', description: 'Search the code' }), false);
    metaWriter.close();
  }
  return answer;
}
