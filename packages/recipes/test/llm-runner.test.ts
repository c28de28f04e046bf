import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LlmCallError, LlmSetupError, parseRetryAfter } from '../src/llm/client.js';
import { createOpenAICompatibleClient } from '../src/llm/openai-compatible-client.js';
import { LlmRunner, SchemaMismatchError } from '../src/llm/runner.js';
import { type ChatServer, type Script, startChatServer } from './support/chat-server.js';

const Answer = z.object({ label: z.enum(['yes', 'no']), reason: z.string() });
const tinyRetries = { maxRetries: 3, baseDelayMs: 1, maxDelayMs: 5 };

let server: ChatServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function runnerFor(script: Script, options: { timeoutMs?: number } = {}): Promise<LlmRunner> {
  server = await startChatServer(script);
  const client = createOpenAICompatibleClient({ baseUrl: server.baseUrl, model: 'test-model', env: { NVIDIA_API_KEY: 'test-key' } });
  return new LlmRunner({ client, retry: tinyRetries, timeoutMs: options.timeoutMs ?? 5000 });
}

const ask = (runner: LlmRunner) =>
  runner.structured({ name: 'answer', schema: Answer, messages: [{ role: 'user', content: 'Is the sky blue?' }] });

describe('LlmRunner with the AI SDK client', () => {
  it('sends the JSON schema as response_format and the key as a bearer token', async () => {
    const runner = await runnerFor(() => ({ content: JSON.stringify({ label: 'yes', reason: 'Rayleigh scattering' }) }));
    await expect(ask(runner)).resolves.toEqual({ label: 'yes', reason: 'Rayleigh scattering' });
    const request = server?.requests[0];
    expect(request?.path).toBe('/v1/chat/completions');
    expect(request?.headers.authorization).toBe('Bearer test-key');
    expect(request?.body.model).toBe('test-model');
    expect(request?.body.response_format?.type).toBe('json_schema');
    expect(request?.body.response_format?.json_schema?.name).toBe('answer');
    expect(request?.body.response_format?.json_schema?.strict).toBe(true);
    expect(request?.body.response_format?.json_schema?.schema).toMatchObject({
      type: 'object',
      properties: { label: { type: 'string', enum: ['yes', 'no'] }, reason: { type: 'string' } },
      required: ['label', 'reason'],
    });
    expect(runner.stats).toMatchObject({ calls: 1, retries: 0, repairs: 0, inputTokens: 100, outputTokens: 20 });
  });

  it('re-asks once with the validation error when the answer fails the schema', async () => {
    const runner = await runnerFor((_request, index) =>
      index === 0 ? { content: JSON.stringify({ label: 'maybe', reason: 'unsure' }) } : { content: '{"label":"no","reason":"night"}' },
    );
    await expect(ask(runner)).resolves.toEqual({ label: 'no', reason: 'night' });
    const repair = server?.requests[1]?.body.messages ?? [];
    expect(repair.at(-2)).toMatchObject({ role: 'assistant', content: '{"label":"maybe","reason":"unsure"}' });
    expect(repair.at(-1)?.content).toContain('label');
    expect(repair.at(-1)?.content).toContain('Your answer was not valid');
    expect(runner.stats.repairs).toBe(1);
  });

  it('gives up after one repair and says why', async () => {
    const runner = await runnerFor(() => ({ content: 'this is not json' }));
    const error = await ask(runner).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaMismatchError);
    expect((error as Error).message).toContain('not JSON');
    expect(server?.requests).toHaveLength(2);
  });

  it('retries 429 (honouring Retry-After), 500 and malformed bodies, then succeeds', async () => {
    const runner = await runnerFor((_request, index) => {
      if (index === 0) return { status: 429, headers: { 'retry-after': '0' } };
      if (index === 1) return { status: 500 };
      if (index === 2) return { rawBody: '{"id":"x","choices":[{"mess' };
      return { content: '{"label":"yes","reason":"ok"}' };
    });
    await expect(ask(runner)).resolves.toEqual({ label: 'yes', reason: 'ok' });
    expect(runner.stats).toMatchObject({ calls: 4, retries: 3 });
  });

  it('does not retry a 400, and reports the status', async () => {
    const runner = await runnerFor(() => ({ status: 400 }));
    const error = await ask(runner).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmCallError);
    expect((error as LlmCallError).status).toBe(400);
    expect(server?.requests).toHaveLength(1);
  });

  it('times out a slow answer and retries it', async () => {
    const runner = await runnerFor(
      (_request, index) => (index === 0 ? { content: '{}', delayMs: 2000 } : { content: '{"label":"no","reason":"fast"}' }),
      {
        timeoutMs: 200,
      },
    );
    await expect(ask(runner)).resolves.toEqual({ label: 'no', reason: 'fast' });
    expect(runner.stats.timeouts).toBe(1);
  });

  it('stops after the retries run out', async () => {
    const runner = await runnerFor(() => ({ status: 503 }));
    const error = await ask(runner).catch((e: unknown) => e);
    expect((error as LlmCallError).status).toBe(503);
    expect(server?.requests).toHaveLength(tinyRetries.maxRetries + 1);
  });
});

describe('setup checks', () => {
  it('fails fast without a key, naming the variable', () => {
    expect(() => createOpenAICompatibleClient({ env: {} })).toThrow(LlmSetupError);
    expect(() => createOpenAICompatibleClient({ env: {}, apiKeyEnv: 'MY_KEY' })).toThrow(/MY_KEY/);
  });

  it('fails fast on an unreachable endpoint', async () => {
    server = await startChatServer(() => ({ content: '{}' }));
    const url = server.baseUrl;
    await server.close();
    server = undefined;
    const client = createOpenAICompatibleClient({ baseUrl: url, env: { NVIDIA_API_KEY: 'k' } });
    await expect(client.preflight?.()).rejects.toThrow(/unreachable.*ECONNREFUSED/);
  });

  it('reads Retry-After as seconds or a date', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4000)).toBe(6000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
