import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMPOSED, readFolder, textOf } from './helpers.js';

const HOME = path.join(COMPOSED, 'claude-home');
const S = '11111111-1111-4111-8111-111111111111';
const STORED = `/home/someone/.claude/projects/-work-app/${S}/tool-results/toolu_big.txt`;

describe('rule 9: large outputs replaced by a preview', () => {
  it('keeps the preview and names the stored file by default', async () => {
    const { rows } = await readFolder(HOME);
    const tool = rows.find((row) => row.trace_id === S)?.messages.find((m) => m.tool_call_id === 'toolu_big');
    expect(textOf(tool ?? { content: [] })).toContain('Preview (first 2KB)');
    expect(tool?.metadata).toEqual({ persisted_output: { path: STORED, inlined: false } });
  });

  it('reads the full text from tool-results/ beside the session only on request', async () => {
    const { rows } = await readFolder(HOME, { inlinePersistedOutputs: true });
    const tool = rows.find((row) => row.trace_id === S)?.messages.find((m) => m.tool_call_id === 'toolu_big');
    expect(textOf(tool ?? { content: [] })).toBe('line 1\nline 2\nline 3 (the full output)\n');
    expect(tool?.metadata).toEqual({ persisted_output: { path: STORED, inlined: true } });
  });
});
