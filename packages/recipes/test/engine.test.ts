import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Pipeline } from '../src/engine/pipeline.js';
import { retryDelay } from '../src/llm/backoff.js';
import { createOpenAICompatibleClient } from '../src/llm/openai-compatible-client.js';
import { LlmRunner } from '../src/llm/runner.js';
import { runToolReview } from '../src/recipes/tool-review.js';
import { ProgressReporter } from '../src/run/progress.js';
import { type ChatServer, startChatServer } from './support/chat-server.js';
import { fixtureRegistry, fixtureRows, fixtureSource, tempDir } from './support/fixtures.js';
import { goodAnswer } from './support/scripted-model.js';

let server: ChatServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('backoff', () => {
  const policy = { maxRetries: 5, baseDelayMs: 100, maxDelayMs: 1000 };
  it('doubles with jitter between half and all of each step, capped', () => {
    expect(retryDelay(1, policy, undefined, () => 0)).toBe(50);
    expect(retryDelay(1, policy, undefined, () => 1)).toBe(100);
    expect(retryDelay(3, policy, undefined, () => 1)).toBe(400);
    expect(retryDelay(10, policy, undefined, () => 1)).toBe(1000);
  });
  it('waits at least what Retry-After asks, within the cap', () => {
    expect(retryDelay(1, policy, 700, () => 0)).toBe(700);
    expect(retryDelay(1, policy, 5000, () => 0)).toBe(1000);
  });
});

describe('pipeline', () => {
  it('runs structured, judge and function steps in order, each seeing the columns before it, with per-step models', async () => {
    server = await startChatServer((request) => {
      const name = request.body.response_format?.json_schema?.name;
      if (name === 'topic') return { content: '{"topic":"sorting"}' };
      return { content: '{"clarity":{"reasoning":"clear","score":3}}' };
    });
    const client = createOpenAICompatibleClient({ baseUrl: server.baseUrl, model: 'base-model', env: { NVIDIA_API_KEY: 'k' } });
    const pipeline = Pipeline.start<{ text: string }>()
      .structured({
        name: 'topic',
        schema: z.object({ topic: z.string() }),
        prompt: (row) => ({ system: 'Name the topic.', user: row.text }),
      })
      .judge({
        name: 'rating',
        model: 'judge-model',
        rubrics: [{ name: 'clarity', description: 'Is it clear?', levels: ['no', 'barely', 'somewhat', 'mostly', 'fully'] }],
        prompt: (row) => ({ system: 'Rate it.', user: `Topic: ${row.topic.topic}\n${row.text}` }),
      })
      .map('flatten', (row) => ({ topic: row.topic.topic, clarity: row.rating.clarity.score }));
    const result = await pipeline.run({ text: 'Quicksort picks a pivot.' }, { llm: new LlmRunner({ client }) });
    expect(result).toEqual({ topic: 'sorting', clarity: 3 });
    expect(server.requests.map((request) => request.body.model)).toEqual(['base-model', 'judge-model']);
    expect(server.requests[1]?.body.messages.at(-1)?.content).toContain('Topic: sorting');
    expect(server.requests[1]?.body.messages.at(-1)?.content).toContain('  4: fully');
    expect(pipeline.stepNames).toEqual(['topic', 'rating', 'flatten']);
  });
});

describe('runner', () => {
  it('never has more calls in flight than the concurrency', async () => {
    let inFlight = 0;
    let most = 0;
    server = await startChatServer(async (request) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 20));
      inFlight -= 1;
      return goodAnswer(request);
    });
    await runToolReview({
      sources: [fixtureSource],
      registry: fixtureRegistry(),
      out: path.join(await tempDir(), 'out.jsonl'),
      concurrency: 3,
      llm: { baseUrl: server.baseUrl, env: { NVIDIA_API_KEY: 'k' } },
      progress: false,
    });
    expect(most).toBeLessThanOrEqual(3);
    expect(most).toBeGreaterThan(1);
  });

  it('shards like ingest: the partitions are disjoint and together hold every row', async () => {
    server = await startChatServer(goodAnswer);
    const dir = await tempDir();
    const traces: string[][] = [];
    for (const index of [0, 1, 2]) {
      const out = path.join(dir, `shard-${index}.jsonl`);
      await runToolReview({
        sources: [fixtureSource],
        registry: fixtureRegistry(),
        selection: { partition: { index, count: 3 } },
        out,
        llm: { baseUrl: server.baseUrl, env: { NVIDIA_API_KEY: 'k' } },
        progress: false,
      });
      const lines = (await readFile(out, 'utf8')).trim().split('\n').filter(Boolean);
      traces.push([...new Set(lines.map((line) => (JSON.parse(line) as { trace_id: string }).trace_id))]);
    }
    const all = traces.flat();
    expect(new Set(all).size).toBe(all.length);
    const expected = (await fixtureRows()).filter((row) => row.tool_call_count > 0).map((row) => row.trace_id);
    expect(all.sort()).toEqual(expected.sort());
    expect(traces.every((shard) => shard.length > 0)).toBe(true);
  });

  it('refuses a model override for a step the recipe does not have', async () => {
    await expect(
      runToolReview({
        sources: [fixtureSource],
        registry: fixtureRegistry(),
        preview: 1,
        stepModels: { judge: 'x' },
        llm: { env: { NVIDIA_API_KEY: 'k' } },
        progress: false,
      }),
    ).rejects.toThrow('no step "judge" in tool-review to give a model to; its steps are review');
  });

  it('shows rows, failures, tokens and an ETA', () => {
    const reporter = new ProgressReporter({ stream: process.stderr, quiet: true });
    const line = reporter.line({
      done: 9,
      failed: 1,
      resumed: 5,
      total: 25,
      llm: { calls: 30, retries: 0, repairs: 0, timeouts: 0, inputTokens: 1000, outputTokens: 200 },
    });
    expect(line).toMatch(/^rows 10 of 20 \(1 failed, 5 resumed\), 30 calls, 1200 tokens, ETA \d+s$/);
  });
});
