import { describe, expect, it } from 'vitest';
import { ClaudeCodeFormat } from '../src/handler.js';

const handler = new ClaudeCodeFormat();

describe('which files are transcripts', () => {
  it.each([
    ['projects/p/0b1e2f3a-1111-4111-8111-111111111111.jsonl', true],
    ['projects/p/0b1e2f3a-1111-4111-8111-111111111111/subagents/agent-a1b2c3.jsonl', true],
    ['projects/p/0b1e2f3a-1111-4111-8111-111111111111/subagents/workflows/r1/agent-a1b2c3.jsonl', true],
    ['projects/p/agent-e1c84ba5.jsonl', true],
    ['history.jsonl', false],
    ['projects/p/0b1e2f3a-1111-4111-8111-111111111111/subagents/workflows/r1/journal.jsonl', false],
    ['projects/p/0b1e2f3a-1111-4111-8111-111111111111/tool-results/toolu_1.jsonl', false],
    ['todos/x.jsonl', false],
    ['projects/p/sessions-index.json', false],
    ['projects/p/0b1e2f3a-1111-4111-8111-111111111111/subagents/agent-a1b2c3.meta.json', false],
  ])('%s -> %s', (relativePath, handled) => {
    expect(handler.isHandledFile(relativePath)).toBe(handled);
    if (!handled) expect(handler.shouldWarnUnhandledFile(relativePath)).toBe(false);
  });

  it('warns about an unexpected JSONL file inside a subagents folder', () => {
    expect(handler.isHandledFile('projects/p/s/subagents/notes.jsonl')).toBe(false);
    expect(handler.shouldWarnUnhandledFile('projects/p/s/subagents/notes.jsonl')).toBe(true);
  });
});
