import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runDistill } from '../src/recipes/distill.js';
import type { Reply } from './support/chat-server.js';
import { type ChatServer, startChatServer } from './support/chat-server.js';
import { fixtureRows, tempDir } from './support/fixtures.js';
import { goodAnswer, stepOf, userText } from './support/scripted-model.js';

let server: ChatServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** What goes wrong for the row with this marker, at which step, on which attempts. */
const FAULTS: Record<string, { step: string; reply: (attempt: number) => Reply | undefined }> = {
  'ROW-429': { step: 'digest', reply: (n) => (n === 0 ? { status: 429, headers: { 'retry-after': '0' } } : undefined) },
  'ROW-500': { step: 'sft', reply: (n) => (n === 0 ? { status: 500 } : undefined) },
  'ROW-MALFORMED': {
    step: 'judge',
    reply: (n) => (n === 0 ? { rawBody: '{"id":"c","choices":[{"message":{"content":"{\\"gro' } : undefined),
  },
  'ROW-INVALID-ONCE': { step: 'digest', reply: (n) => (n === 0 ? { content: '{"user_goal": 42}' } : undefined) },
  'ROW-SLOW': { step: 'digest', reply: (n) => (n === 0 ? { content: '{}', delayMs: 3000 } : undefined) },
  'ROW-INVALID-ALWAYS': { step: 'judge', reply: () => ({ content: '{"groundedness": {"score": 9}}' }) },
  'ROW-DOWN': { step: 'sft', reply: () => ({ status: 503 }) },
};

describe('failure injection', () => {
  it('retries 429/500/malformed/timeouts, repairs invalid answers, records rows that still fail, and counts it all', async () => {
    const attempts = new Map<string, number>();
    server = await startChatServer((request) => {
      const text = userText(request);
      const marker = Object.keys(FAULTS).find((key) => text.includes(`${key}:`));
      const fault = marker ? FAULTS[marker] : undefined;
      if (marker && fault && fault.step === stepOf(request)) {
        const attempt = attempts.get(marker) ?? 0;
        attempts.set(marker, attempt + 1);
        const reply = fault.reply(attempt);
        if (reply) return reply;
      }
      return goodAnswer(request);
    });
    const markers = [...Object.keys(FAULTS), 'ROW-FINE'];
    const rows = (await fixtureRows()).slice(0, markers.length).map((row, index) => ({
      ...row,
      messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text: `${markers[index]}: please help` }] }, ...row.messages],
    }));
    expect(rows).toHaveLength(8);

    const out = path.join(await tempDir(), 'out.jsonl');
    const maxRetries = 3;
    const { summary } = await runDistill({
      rows,
      out,
      concurrency: 4,
      timeoutMs: 500,
      retry: { maxRetries, baseDelayMs: 1, maxDelayMs: 5 },
      llm: { baseUrl: server.baseUrl, env: { NVIDIA_API_KEY: 'k' } },
      progress: false,
    });

    const lines = (await readFile(out, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(8);
    const byMarker = (marker: string) => lines.find((line) => JSON.stringify(line.messages).includes(`${marker}:`));
    for (const marker of ['ROW-429', 'ROW-500', 'ROW-MALFORMED', 'ROW-INVALID-ONCE', 'ROW-SLOW', 'ROW-FINE']) {
      expect(byMarker(marker)?.recipe_status, marker).toBe('ok');
    }
    expect(byMarker('ROW-INVALID-ALWAYS')).toMatchObject({ recipe_status: 'failed', recommended_for_sft: false });
    expect(String(byMarker('ROW-INVALID-ALWAYS')?.recipe_error)).toMatch(/step "judge": .*did not follow the schema/);
    expect(byMarker('ROW-DOWN')).toMatchObject({ recipe_status: 'failed' });
    expect(String(byMarker('ROW-DOWN')?.recipe_error)).toMatch(/step "sft": HTTP 503/);

    expect(summary.rows).toEqual({ read: 8, resumed: 0, processed: 8, failed: 2 });
    expect(summary.records).toEqual({ total: 8, ok: 6, failed: 2 });
    expect(summary.kept + summary.dropped).toBe(6);
    // 429, 500, malformed body, timeout: one retry each; the dead endpoint: every retry.
    expect(summary.llm.retries).toBe(4 + maxRetries);
    expect(summary.llm.timeouts).toBe(1);
    // The invalid-once answer and the always-invalid one: one repair each.
    expect(summary.llm.repairs).toBe(2);
    // Six good rows: 3 steps each, plus their 4 retries and 1 repair. ROW-DOWN stops at sft
    // (digest 1, sft 1 + every retry); ROW-INVALID-ALWAYS at judge (digest 1, sft 1, judge 1 + 1 repair).
    const goodRows = 6 * 3 + 4 + 1;
    expect(summary.llm.calls).toBe(goodRows + (1 + 1 + maxRetries) + (1 + 1 + 2));
    expect(server.requests).toHaveLength(summary.llm.calls);
  });
});
