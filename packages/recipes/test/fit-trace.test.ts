import { describe, expect, it } from 'vitest';
import { estimateTokens, fitTrace } from '../src/trace/fit-trace.js';
import { fixtureRows } from './support/fixtures.js';

describe('fitTrace', () => {
  it('keeps a short real trace whole, with each tool call on one line and its outcome', async () => {
    const rows = await fixtureRows();
    const row = rows.find((r) => r.messages.some((m) => m.role === 'tool' && m.is_error));
    if (!row) throw new Error('no row with a failed tool call');
    const fitted = fitTrace(row, { budgetTokens: 50_000 });
    expect(fitted.elidedMessages).toBe(0);
    expect(fitted.text).toContain('[user]');
    expect(fitted.text.match(/^\[tool call\] /gm)).toHaveLength(row.tool_call_count);
    expect(fitted.text).toContain('-> ERROR');
    expect(fitted.text).toContain(row.final_assistant_message?.slice(0, 50));
  });

  it('elides the middle of a long trace with a marker, keeping the request and the final answer', () => {
    const messages = [
      { role: 'user' as const, content: [{ type: 'text' as const, text: 'OPENING REQUEST: refactor the parser' }] },
      ...Array.from({ length: 200 }, (_, i) => ({
        role: 'assistant' as const,
        content: [{ type: 'text' as const, text: `step ${i}: ${'x'.repeat(400)}` }],
      })),
      { role: 'assistant' as const, content: [{ type: 'text' as const, text: 'FINAL ANSWER: done' }] },
    ];
    const fitted = fitTrace({ messages }, { budgetTokens: 2000 });
    expect(fitted.estimatedTokens).toBeLessThanOrEqual(2000);
    expect(fitted.text.startsWith('[user] OPENING REQUEST')).toBe(true);
    expect(fitted.text.endsWith('[assistant] FINAL ANSWER: done')).toBe(true);
    expect(fitted.elidedMessages).toBeGreaterThan(150);
    expect(fitted.text).toContain(`[... ${fitted.elidedMessages} messages elided to fit the token budget ...]`);
    expect(fitted.text).toContain('step 0:');
    expect(fitted.text).toContain('step 199:');
  });

  it('clips an opening request that alone exceeds the budget', () => {
    const messages = [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'y'.repeat(100_000) }] }];
    const fitted = fitTrace({ messages }, { budgetTokens: 1000 });
    expect(estimateTokens(fitted.text)).toBeLessThanOrEqual(1000);
    expect(fitted.text).toMatch(/more characters\]$/);
  });
});
