import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { NormalizedRollout } from '@agent-rollout/core';
import { describe, expect, it } from 'vitest';
import { CLI_VERSIONS, CORPUS, readCorpusVersion, textOf } from './helpers.js';

/** What `_generation/sessions.md` says one rollout file holds. */
interface SessionFacts {
  file: string;
  humanPrompts: number;
  apiResponses: number;
  reasoningBlocks: number;
  assistantTextBlocks: number;
  toolCalls: { name: string; failed: boolean }[];
  finalAnswer: string;
}

function parseSessionsMd(markdown: string): SessionFacts[] {
  return markdown
    .split(/^#### /m)
    .slice(1)
    .map((section) => {
      const lines = section.split('\n');
      const number = (pattern: RegExp): number => Number(pattern.exec(section)?.[1] ?? Number.NaN);
      const toolCalls = [...section.matchAll(/^\s+\d+\. `([^`]+)` .*?→ (ok|\*\*failed\*\*)/gm)].map((m) => ({
        name: m[1] as string,
        failed: m[2] !== 'ok',
      }));
      // The answer is the indented ```text block that closes the section (it may hold fences of its own).
      const start = lines.indexOf('  ```text');
      const body = lines.slice(start + 1);
      while (body.length > 0 && body.at(-1)?.trim() === '') body.pop();
      body.pop();
      return {
        file: /^`([^`]+)`/.exec(section)?.[1] ?? '',
        humanPrompts: number(/human prompts \((\d+)\)/),
        apiResponses: number(/assistant API responses: (\d+)/),
        reasoningBlocks: /reasoning present: no/.test(section) ? 0 : number(/reasoning present: yes \((\d+) blocks?\)/),
        assistantTextBlocks: number(/assistant text blocks: (\d+)/),
        toolCalls,
        finalAnswer: body.map((line) => line.slice(2)).join('\n'),
      };
    });
}

/** The row's prompts: the human's, or for a sub-agent thread the task its parent sent. */
function prompts(row: NormalizedRollout): number {
  const subagent = row.source_meta.subagent as { agent_path?: string | null } | undefined;
  return row.messages.filter((m) =>
    subagent
      ? m.role === 'user' && m.metadata?.agent_message === true && m.metadata.recipient === subagent.agent_path
      : m.role === 'user' && !m.metadata,
  ).length;
}

describe.each(CLI_VERSIONS)('rows of Codex %s agree with _generation/sessions.md', (version) => {
  it('has the prompts, responses, reasoning, tool calls with failures, and final answer the generation log records', async () => {
    const facts = parseSessionsMd(await readFile(path.join(CORPUS, version, '_generation', 'sessions.md'), 'utf8'));
    const rows = await readCorpusVersion(version);
    expect(facts.map((f) => f.file).sort()).toEqual([...rows.keys()].sort());
    for (const fact of facts) {
      const row = rows.get(fact.file) as NormalizedRollout;
      const assistant = row.messages.filter((m) => m.role === 'assistant');
      const toolErrors = new Map(row.messages.filter((m) => m.role === 'tool').map((m) => [m.tool_call_id, m.is_error === true]));
      const calls = assistant.flatMap((m) => m.tool_calls ?? []);
      expect({ file: fact.file, prompts: prompts(row) }).toEqual({ file: fact.file, prompts: fact.humanPrompts });
      expect(assistant).toHaveLength(fact.apiResponses);
      expect(assistant.filter((m) => m.reasoning_content)).toHaveLength(fact.reasoningBlocks);
      expect(assistant.flatMap((m) => m.content.filter((block) => block.type === 'text'))).toHaveLength(fact.assistantTextBlocks);
      expect(calls.map((call) => ({ name: call.function.name, failed: toolErrors.get(call.id) ?? false }))).toEqual(fact.toolCalls);
      expect(textOf(assistant.at(-1) as NormalizedRollout['messages'][number])).toBe(fact.finalAnswer);
      expect(row.final_assistant_message).toBe(fact.finalAnswer);
    }
  });
});
