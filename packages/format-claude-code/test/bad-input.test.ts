import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPOSED, parseOne, textOf } from './helpers.js';

describe('rule 10: bad input is reported per line and the rest is kept', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cc-bad-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reports a line that is not JSON with its number and a torn last line as a warning', async () => {
    const { rows, warnings } = await parseOne(path.join(COMPOSED, 'user-lines.jsonl'));
    expect(rows).toHaveLength(1);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]?.line).toBe(10);
    expect(warnings[0]?.message).toMatch(/not JSON/);
    expect(warnings[1]?.line).toBe(11);
    expect(warnings[1]?.message).toMatch(/cut short/);
  });

  it('splits lines on \\n only: U+2028 inside a string does not cut a line', async () => {
    const file = path.join(dir, 'separators.jsonl');
    const prompt = {
      type: 'user',
      uuid: 'u1',
      parentUuid: null,
      sessionId: 's',
      message: { role: 'user', content: 'one\u2028two\u0085three' },
    };
    const answer = {
      type: 'assistant',
      uuid: 'a1',
      parentUuid: 'u1',
      sessionId: 's',
      message: { id: 'm1', role: 'assistant', model: 'm', content: [{ type: 'text', text: 'ok' }] },
    };
    await writeFile(file, `${JSON.stringify(prompt)}\n${JSON.stringify(answer)}\n`);
    const { rows, warnings } = await parseOne(file);
    expect(warnings).toEqual([]);
    expect(textOf(rows[0]?.messages[0] ?? { content: [] })).toBe('one\u2028two\u0085three');
  });

  it('gives no row for a file without conversation lines, and says why', async () => {
    const file = path.join(dir, 'only-summaries.jsonl');
    await writeFile(
      file,
      '{"type":"summary","summary":"A","leafUuid":"x"}\n{"type":"file-history-snapshot","messageId":"y","snapshot":{}}\n',
    );
    const result = await parseOne(file);
    expect(result.rows).toEqual([]);
    expect(result.skipReason).toBe('no conversation lines (records: summary x1, file-history-snapshot x1)');
    const empty = path.join(dir, 'empty.jsonl');
    await writeFile(empty, '');
    expect((await parseOne(empty)).skipReason).toBe('empty file (no JSON lines)');
  });

  it('reads a session with a line of several megabytes', async () => {
    const file = path.join(dir, 'large.jsonl');
    const big = 'x'.repeat(6 * 1024 * 1024);
    const lines = [
      { type: 'user', uuid: 'u1', parentUuid: null, sessionId: 's', message: { role: 'user', content: 'Read the big file' } },
      {
        type: 'assistant',
        uuid: 'a1',
        parentUuid: 'u1',
        sessionId: 's',
        message: {
          id: 'm1',
          role: 'assistant',
          model: 'm',
          content: [{ type: 'tool_use', id: 't1', name: 'Read', input: { file_path: 'big' } }],
        },
      },
      {
        type: 'user',
        uuid: 'r1',
        parentUuid: 'a1',
        sessionId: 's',
        message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: big }] },
      },
    ];
    await writeFile(file, `${lines.map((line) => JSON.stringify(line)).join('\n')}\n`);
    const { rows } = await parseOne(file);
    expect(textOf(rows[0]?.messages[2] ?? { content: [] })).toHaveLength(big.length);
  });
});

describe('strict reads', () => {
  it('stop at a line that is not JSON, naming the file and line', async () => {
    const { ClaudeCodeFormat } = await import('../src/handler.js');
    const file = path.join(COMPOSED, 'user-lines.jsonl');
    const parse = new ClaudeCodeFormat().parseFile({
      path: file,
      relativePath: 'user-lines.jsonl',
      root: COMPOSED,
      size: 0,
      context: undefined,
      signal: new AbortController().signal,
      strict: true,
      warn: () => {},
    });
    await expect(parse).rejects.toMatchObject({ name: 'AgentRolloutParseError', line: 10 });
  });
});
