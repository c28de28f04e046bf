// Builds rows from the redact fixtures the way the format packages shape them (the parts that
// matter for redaction: where each string of a record ends up), without depending on them.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChatMessage, ContentBlock, NormalizedRollout, ToolCall } from '../../src/index.js';
import { finalizeRollout } from '../../src/index.js';

export const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'redact');

export interface PlantedSecret {
  id: string;
  rule: string;
  value: string;
}

export interface PlantedManifest {
  homeDir: string;
  userName: string;
  secrets: PlantedSecret[];
}

export function readManifest(): PlantedManifest {
  return JSON.parse(readFileSync(path.join(FIXTURES, 'planted-secrets.json'), 'utf8')) as PlantedManifest;
}

/** The no-secrets set: strings that look random but hold no secret, by category. */
export interface NoSecrets {
  categories: Record<string, string[]>;
}

export function readNoSecrets(): NoSecrets {
  return JSON.parse(readFileSync(path.join(FIXTURES, 'no-secrets.json'), 'utf8')) as NoSecrets;
}

type JsonRecord = Record<string, unknown>;

function readRecords(file: string): JsonRecord[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as JsonRecord);
}

const asRecord = (value: unknown): JsonRecord => (typeof value === 'object' && value !== null ? (value as JsonRecord) : {});
const asString = (value: unknown): string => (typeof value === 'string' ? value : '');
const text = (value: string): ContentBlock => ({ type: 'text', text: value });

/** One Claude Code session file as one row; `sourcePath` is where the file would lie on the user's disk. */
export function claudeCodeRow(file: string, sourcePath: string): NormalizedRollout {
  const messages: ChatMessage[] = [];
  const summaries: string[] = [];
  let cwd: string | null = null;
  let branch: string | null = null;
  let sessionId = '';
  let version = '';
  for (const record of readRecords(file)) {
    if (record.type === 'summary') summaries.push(asString(record.summary));
    if (record.type !== 'user' && record.type !== 'assistant') continue;
    cwd ??= asString(record.cwd) || null;
    branch ??= asString(record.gitBranch) || null;
    sessionId ||= asString(record.sessionId);
    version ||= asString(record.version);
    const message = asRecord(record.message);
    const content = message.content;
    if (record.type === 'user') {
      if (typeof content === 'string') {
        messages.push({ role: 'user', content: [text(content)], metadata: { uuid: record.uuid } });
        continue;
      }
      for (const block of content as JsonRecord[]) {
        if (block.type === 'tool_result') {
          const result = block.content;
          const blocks = typeof result === 'string' ? [text(result)] : (result as ContentBlock[]);
          messages.push({
            role: 'tool',
            content: blocks,
            tool_call_id: asString(block.tool_use_id),
            metadata: { uuid: record.uuid, tool_use_result: record.toolUseResult },
          });
        } else if (block.type === 'text') {
          messages.push({ role: 'user', content: [text(asString(block.text))] });
        }
      }
      continue;
    }
    const out: ChatMessage = { role: 'assistant', content: [], metadata: { model: message.model, request_id: record.requestId } };
    const calls: ToolCall[] = [];
    for (const block of content as JsonRecord[]) {
      if (block.type === 'thinking') out.reasoning_content = asString(block.thinking);
      else if (block.type === 'text') out.content.push(text(asString(block.text)));
      else if (block.type === 'tool_use') {
        calls.push({
          id: asString(block.id),
          type: 'function',
          function: { name: asString(block.name), arguments: JSON.stringify(block.input) },
        });
      }
    }
    if (calls.length > 0) out.tool_calls = calls;
    messages.push(out);
  }
  return finalizeRollout({
    trace_id: sessionId,
    source_kind: 'claude_code',
    source_path: sourcePath,
    root_session_id: sessionId,
    agent_id: null,
    is_sidechain: false,
    cwd,
    project_path: cwd,
    git_branch: branch,
    started_at: null,
    ended_at: null,
    messages,
    source_meta: { version, summaries },
  });
}

/** One Codex rollout file as one row. */
export function codexRow(file: string, sourcePath: string): NormalizedRollout {
  const messages: ChatMessage[] = [];
  const events: unknown[] = [];
  const turnContexts: unknown[] = [];
  let sessionMeta: JsonRecord = {};
  for (const record of readRecords(file)) {
    const payload = asRecord(record.payload);
    if (record.type === 'session_meta') sessionMeta = payload;
    else if (record.type === 'turn_context') turnContexts.push(payload);
    else if (record.type === 'event_msg') events.push(payload);
    else if (record.type === 'response_item') {
      if (payload.type === 'message') {
        const role = payload.role === 'assistant' ? 'assistant' : payload.role === 'developer' ? 'system' : 'user';
        const blocks = (payload.content as JsonRecord[]).map((block) => text(asString(block.text)));
        messages.push({ role, content: blocks });
      } else if (payload.type === 'reasoning') {
        const summary = (payload.summary as JsonRecord[]).map((part) => asString(part.text)).join('\n\n');
        messages.push({
          role: 'assistant',
          content: [],
          reasoning_content: summary,
          metadata: { encrypted_content: payload.encrypted_content },
        });
      } else if (payload.type === 'function_call') {
        messages.push({
          role: 'assistant',
          content: [],
          tool_calls: [
            {
              id: asString(payload.call_id),
              type: 'function',
              function: { name: asString(payload.name), arguments: asString(payload.arguments) },
            },
          ],
        });
      } else if (payload.type === 'function_call_output') {
        messages.push({ role: 'tool', content: [text(asString(payload.output))], tool_call_id: asString(payload.call_id) });
      }
    }
  }
  const cwd = asString(sessionMeta.cwd) || null;
  const id = asString(sessionMeta.id);
  return finalizeRollout({
    trace_id: id,
    source_kind: 'codex',
    source_path: sourcePath,
    root_session_id: id,
    agent_id: null,
    is_sidechain: false,
    cwd,
    project_path: cwd,
    git_branch: asString(asRecord(sessionMeta.git).branch) || null,
    started_at: null,
    ended_at: null,
    messages,
    source_meta: {
      cli_version: sessionMeta.cli_version,
      instructions: sessionMeta.instructions,
      git: sessionMeta.git,
      turn_contexts: turnContexts,
      events,
    } as Record<string, unknown>,
  });
}

/** Every string of a row, tool-call arguments parsed (as the redactor sees them). */
export function stringLeaves(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) stringLeaves(item, out);
  else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      out.push(key);
      if (key === 'arguments' && typeof item === 'string') {
        try {
          stringLeaves(JSON.parse(item), out);
          continue;
        } catch {
          // Not JSON: scanned as text.
        }
      }
      stringLeaves(item, out);
    }
  }
  return out;
}
