import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runDistill } from '../src/recipes/distill.js';
import { type ChatServer, startChatServer } from './support/chat-server.js';
import { fixtureRegistry, fixtureRows, fixtureSource, tempDir } from './support/fixtures.js';
import { goodAnswer, stepOf, userText } from './support/scripted-model.js';

let server: ChatServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const quiet = { progress: false as const, retry: { baseDelayMs: 1, maxDelayMs: 5 } };

async function readLines(file: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(file, 'utf8');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('runDistill end to end', () => {
  it('digests, writes SFT records, judges and flags each real row, and writes the kept examples', async () => {
    server = await startChatServer(goodAnswer);
    const dir = await tempDir();
    const out = path.join(dir, 'distilled.jsonl');
    const sftOut = path.join(dir, 'sft.jsonl');
    const { summary } = await runDistill({
      sources: [fixtureSource],
      registry: fixtureRegistry(),
      out,
      sftOut,
      llm: { baseUrl: server.baseUrl, model: 'test-model', env: { NVIDIA_API_KEY: 'k' } },
      ...quiet,
    });

    const rows = await fixtureRows();
    const lines = await readLines(out);
    expect(lines).toHaveLength(rows.length);
    expect(new Set(lines.map((line) => line.trace_id))).toEqual(new Set(rows.map((row) => row.trace_id)));
    // Three calls per row: digest, SFT record, judge, each with its schema.
    expect(server.requests).toHaveLength(rows.length * 3);
    expect(server.requests.map(stepOf).sort()).toEqual(
      [...Array(rows.length).fill('digest'), ...Array(rows.length).fill('judge'), ...Array(rows.length).fill('sft')].sort(),
    );
    const judge = server.requests.find((request) => stepOf(request) === 'judge');
    expect(Object.keys(judge?.body.response_format?.json_schema?.schema.properties as object)).toEqual([
      'groundedness',
      'standalone_task',
      'response_quality',
      'faithfulness',
      'training_utility',
    ]);
    expect(judge && userText(judge)).toContain('## Rubrics');

    const bugfix = lines.find((line) => String(line.digest_user_goal).includes('mean()'));
    expect(bugfix).toMatchObject({
      recipe_status: 'ok',
      digest_task_type: 'bug_fix',
      digest_training_value: 'high',
      sft_difficulty: 'easy',
      judge_groundedness_score: 4,
      judge_training_utility_score: 4,
      judge_min_score: 4,
      recommended_for_sft: true,
      record_index: 0,
      record_count: 1,
    });
    expect(bugfix?.messages).toBeInstanceOf(Array);
    const kept = lines.filter((line) => line.recommended_for_sft === true);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(lines.length);
    expect(summary).toMatchObject({
      kept: kept.length,
      dropped: lines.length - kept.length,
      rows: { read: rows.length, processed: rows.length, failed: 0 },
    });
    expect(summary.histograms.groundedness).toEqual({ '4': kept.length, '2': lines.length - kept.length });
    expect(summary.llm.calls).toBe(rows.length * 3);
    expect(summary.llm.inputTokens).toBe(rows.length * 3 * 100);

    const sft = await readLines(sftOut);
    expect(sft).toHaveLength(kept.length);
    expect(sft[0]).toEqual({
      messages: [
        { role: 'user', content: 'mean() in statkit/stats.py divides by len(values) - 1 and its test fails. Fix it.' },
        { role: 'assistant', content: 'Divide by len(values): `return sum(values) / len(values)`.' },
      ],
    });
    expect(summary.sftOut?.examples).toBe(kept.length);
  });

  it('honours lower thresholds', async () => {
    server = await startChatServer(goodAnswer);
    const dir = await tempDir();
    const out = path.join(dir, 'distilled.jsonl');
    const { summary } = await runDistill({
      sources: [fixtureSource],
      registry: fixtureRegistry(),
      out,
      thresholds: { minScore: 2, trainingValues: ['high', 'medium'] },
      llm: { baseUrl: server.baseUrl, env: { NVIDIA_API_KEY: 'k' } },
      ...quiet,
    });
    expect(summary.dropped).toBe(0);
    expect(summary.kept).toBe(summary.rows.processed);
  });

  it('redacts what it sends and what it writes', async () => {
    server = await startChatServer(goodAnswer);
    const dir = await tempDir();
    const out = path.join(dir, 'distilled.jsonl');
    const row = (await fixtureRows())[0];
    if (!row) throw new Error('the fixtures hold no rows');
    const secret = 'ghp_R8x2mQ7vL4nK9pT3wZ6yB1cD5fH0jS2aE4gU';
    const planted = {
      ...row,
      messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text: `use the token ${secret} to push` }] }, ...row.messages],
    };
    await runDistill({ rows: [planted], out, llm: { baseUrl: server.baseUrl, env: { NVIDIA_API_KEY: 'k' } }, ...quiet });
    const sent = server.requests.map((request) => JSON.stringify(request.body)).join('\n');
    expect(sent).not.toContain(secret);
    expect(sent).toContain('[REDACTED:');
    const written = await readFile(out, 'utf8');
    expect(written).not.toContain(secret);
    expect(written).toContain('[REDACTED:');
  });

  it('previews rows readably and writes nothing', async () => {
    server = await startChatServer(goodAnswer);
    const dir = await tempDir();
    const out = path.join(dir, 'never.jsonl');
    let printed = '';
    const previewStream = {
      write: (text: string) => {
        printed += text;
        return true;
      },
    } as unknown as NodeJS.WritableStream;
    const { summary } = await runDistill({
      sources: [fixtureSource],
      registry: fixtureRegistry(),
      out,
      preview: 2,
      previewStream,
      llm: { baseUrl: server.baseUrl, env: { NVIDIA_API_KEY: 'k' } },
      ...quiet,
    });
    expect(summary.rows).toMatchObject({ read: 2, processed: 2 });
    expect(printed.match(/^--- /gm)).toHaveLength(2);
    expect(printed).toContain('recommended_for_sft:');
    await expect(readFile(out)).rejects.toThrow(/ENOENT/);
  });

  it('stops the run when the server rejects the key, instead of failing every row', async () => {
    server = await startChatServer(() => ({ status: 401, body: '{"error":{"message":"invalid key"}}' }));
    const out = path.join(await tempDir(), 'o.jsonl');
    await expect(
      runDistill({
        sources: [fixtureSource],
        registry: fixtureRegistry(),
        out,
        llm: { baseUrl: server.baseUrl, env: { NVIDIA_API_KEY: 'bad' } },
        ...quiet,
      }),
    ).rejects.toThrow(/rejected the API key \(HTTP 401\)/);
    expect(await readFile(out, 'utf8')).toBe('');
    // Every row in flight stopped at its first call; nothing was retried.
    expect(server.requests.length).toBeLessThanOrEqual(8);
  });

  it('fails fast, before any row, when the key is missing or the endpoint is down', async () => {
    await expect(
      runDistill({ sources: [fixtureSource], registry: fixtureRegistry(), out: 'x.jsonl', llm: { env: {} }, ...quiet }),
    ).rejects.toThrow(/NVIDIA_API_KEY is not set/);
    server = await startChatServer(goodAnswer);
    const url = server.baseUrl;
    await server.close();
    server = undefined;
    const dir = await tempDir();
    await expect(
      runDistill({
        sources: [fixtureSource],
        registry: fixtureRegistry(),
        out: path.join(dir, 'o.jsonl'),
        llm: { baseUrl: url, env: { NVIDIA_API_KEY: 'k' } },
        ...quiet,
      }),
    ).rejects.toThrow(/unreachable/);
    await expect(readFile(path.join(dir, 'o.jsonl'))).rejects.toThrow(/ENOENT/);
  });
});
