import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runToolReview, toolInteractions } from '../src/recipes/tool-review.js';
import { type ChatServer, startChatServer } from './support/chat-server.js';
import { codexSource, fixtureRegistry, fixtureRows, fixtureSource, tempDir } from './support/fixtures.js';
import { goodAnswer, stepOf, userText } from './support/scripted-model.js';

let server: ChatServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('tool interactions', () => {
  it('explodes a real row into one interaction per tool call, with its response and the context before it', async () => {
    const rows = await fixtureRows();
    const withError = rows.find((row) => row.messages.some((message) => message.role === 'tool' && message.is_error));
    if (!withError) throw new Error('the fixtures should hold a failed tool call');
    const interactions = toolInteractions(withError);
    expect(interactions).toHaveLength(withError.tool_call_count);
    expect(interactions.map((interaction) => interaction.call_index)).toEqual(interactions.map((_, index) => index));
    const failed = interactions.filter((interaction) => interaction.tool_is_error === true);
    expect(failed.length).toBeGreaterThan(0);
    for (const interaction of interactions) {
      const call = withError.messages[interaction.message_index]?.tool_calls?.find((c) => c.id === interaction.tool_call_id);
      expect(call?.function.name).toBe(interaction.tool_name);
      // The opening request is always in the context; the call's own response is not.
      expect(interaction.context).toContain('[user]');
      if (interaction.tool_response) expect(interaction.context).not.toContain(interaction.tool_response.slice(0, 200));
    }
  });
});

describe('runToolReview end to end', () => {
  it('labels every tool call of every real row, one record each', async () => {
    server = await startChatServer(goodAnswer);
    const dir = await tempDir();
    const out = path.join(dir, 'tools.jsonl');
    const { summary } = await runToolReview({
      sources: [fixtureSource],
      registry: fixtureRegistry(),
      out,
      llm: { baseUrl: server.baseUrl, env: { NVIDIA_API_KEY: 'k' } },
      progress: false,
    });
    const rows = await fixtureRows();
    const totalCalls = rows.reduce((sum, row) => sum + row.tool_call_count, 0);
    const errors = rows.flatMap((row) => row.messages).filter((message) => message.role === 'tool' && message.is_error).length;
    const lines = (await readFile(out, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(totalCalls);
    expect(server.requests.every((request) => stepOf(request) === 'review')).toBe(true);
    expect(server.requests).toHaveLength(totalCalls);
    expect(new Set(lines.map((line) => `${String(line.trace_id)}/${String(line.tool_call_id)}`)).size).toBe(totalCalls);
    const failures = lines.filter((line) => line.review_label === 'failure');
    expect(failures).toHaveLength(errors);
    expect(failures.every((line) => line.tool_is_error === true)).toBe(true);
    expect(summary.histograms.label).toEqual({ success: totalCalls - errors, failure: errors });
    expect(summary).toMatchObject({
      kept: totalCalls - errors,
      dropped: errors,
      records: { total: totalCalls, ok: totalCalls, failed: 0 },
    });
    // Each prompt carries its call's arguments and response.
    const bash = lines.find((line) => line.tool_name === 'Bash' && typeof line.tool_response === 'string');
    const prompt = server.requests.map(userText).find((text) => text.includes(String(bash?.tool_arguments)));
    expect(prompt).toContain('## The response');
    expect(prompt).toContain(String(bash?.tool_response).slice(0, 100));
  });

  it('works the same on real Codex rows (both sources in one run)', async () => {
    server = await startChatServer(goodAnswer);
    const out = path.join(await tempDir(), 'tools.jsonl');
    const { summary, reports } = await runToolReview({
      sources: [fixtureSource, codexSource],
      registry: fixtureRegistry(),
      out,
      llm: { baseUrl: server.baseUrl, env: { NVIDIA_API_KEY: 'k' } },
      progress: false,
    });
    const codexRows = await fixtureRows(codexSource);
    const codexCalls = codexRows.reduce((sum, row) => sum + row.tool_call_count, 0);
    expect(codexCalls).toBeGreaterThan(0);
    const lines = (await readFile(out, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const fromCodex = lines.filter((line) => line.source_kind === 'codex');
    expect(fromCodex).toHaveLength(codexCalls);
    expect(fromCodex.every((line) => line.recipe_status === 'ok' && typeof line.review_label === 'string')).toBe(true);
    expect(reports.map((report) => report.format)).toEqual(['claude_code', 'codex']);
    expect(summary.records.total).toBe(lines.length);
  });
});
