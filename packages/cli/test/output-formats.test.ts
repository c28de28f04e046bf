import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { validateRollout } from '@agent-rollout/core';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { CLAUDE_HOME, CLAUDE_PROJECTS, CODEX_SESSIONS, jsonLines, runCli, tempDir } from './helpers/run-cli.js';

async function duck(sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    return (await connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe('ingest on real Claude Code and Codex sessions', () => {
  it('JSONL: valid rows for the Claude Code corpus, found at the default path with no flags', async () => {
    const dir = await tempDir();
    const result = await runCli(['ingest', '--out', 'rows.jsonl', '--report', 'report.json'], { cwd: dir, home: CLAUDE_HOME });
    expect(result.code, result.stderr).toBe(0);
    const rows = jsonLines(await readFile(path.join(dir, 'rows.jsonl'), 'utf8'));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(validateRollout(row)).toEqual([]);
    const report = JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8'));
    expect(report.formats.map((r: { format: string }) => r.format)).toEqual(['claude_code']);
    const files = report.formats[0].files;
    expect(files.handled).toBe(files.parsed + files.skipped + files.failed + files.notSelected);
    expect(files.parsed).toBeGreaterThan(0);
    expect(report.formats[0].rows).toBe(rows.length);
  });

  it('Parquet (from the .parquet extension): DuckDB reads every row back and can query the messages', async () => {
    const dir = await tempDir();
    const jsonl = await runCli(['ingest', '--format', 'claude_code', '--path', CLAUDE_PROJECTS, '-q'], { cwd: dir });
    const parquet = await runCli(['ingest', '--format', 'claude_code', '--path', CLAUDE_PROJECTS, '--out', 'rows.parquet', '-q'], {
      cwd: dir,
    });
    expect([jsonl.code, parquet.code]).toEqual([0, 0]);
    expect(await readdir(dir)).toEqual(['rows.parquet']);
    const file = path.join(dir, 'rows.parquet');
    const expected = jsonLines(jsonl.stdout) as { trace_id: string; messages: unknown[]; tool_call_count: number }[];

    const back = await duck(`SELECT trace_id, messages::VARCHAR AS messages, tool_call_count FROM read_parquet('${file}')`);
    expect(back).toEqual(
      expected.map((row) => ({ trace_id: row.trace_id, messages: JSON.stringify(row.messages), tool_call_count: row.tool_call_count })),
    );

    // Tool calls by name, straight from the messages column.
    const tools = await duck(
      `WITH m AS (SELECT unnest(from_json(messages, '["json"]')) AS message FROM read_parquet('${file}')),
            c AS (SELECT unnest(from_json(message->'tool_calls', '["json"]')) AS call FROM m WHERE message->>'role' = 'assistant')
       SELECT call->'function'->>'name' AS tool, count(*) AS calls FROM c GROUP BY tool ORDER BY tool`,
    );
    const counted = new Map<string, number>();
    for (const row of expected) {
      for (const message of row.messages as { tool_calls?: { function: { name: string } }[] }[]) {
        for (const call of message.tool_calls ?? []) counted.set(call.function.name, (counted.get(call.function.name) ?? 0) + 1);
      }
    }
    expect(tools).toEqual(
      [...counted.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([tool, calls]) => ({ tool, calls: String(calls) })),
    );
    expect(tools.length).toBeGreaterThan(2);
  });

  it('OpenAI-chat: valid fine-tuning examples; rows that cannot be one are left out and counted in the report', async () => {
    const dir = await tempDir();
    const result = await runCli(
      [
        'ingest',
        '--format',
        'codex',
        '--path',
        CODEX_SESSIONS,
        '--output-format',
        'openai-chat',
        '--out',
        'sft.jsonl',
        '--report',
        'report.json',
      ],
      { cwd: dir },
    );
    expect(result.code, result.stderr).toBe(0);
    const examples = jsonLines(await readFile(path.join(dir, 'sft.jsonl'), 'utf8')) as { messages: Record<string, unknown>[] }[];
    const report = JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8'));
    const skipped = Object.values(report.output.skipped as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(report.output.rowsIn).toBe(report.formats[0].rows);
    expect(examples.length + skipped).toBe(report.output.rowsIn);
    expect(examples.length).toBeGreaterThan(0);
    // The subagent spawn uses a dotted tool name, which OpenAI does not accept.
    expect(Object.keys(report.output.skipped).some((reason) => reason.includes('collaboration.spawn_agent'))).toBe(true);
    expect(result.stderr).toMatch(/left out 1: tool name "collaboration\.spawn_agent"/);

    for (const { messages } of examples) {
      const waiting = new Set<string>();
      let assistants = 0;
      for (const message of messages) {
        expect(['system', 'user', 'assistant', 'tool']).toContain(message.role);
        expect(message).not.toHaveProperty('reasoning_content');
        if (message.role === 'tool') {
          // Each answer comes right after its call (only answers in between).
          expect(waiting.delete(message.tool_call_id as string)).toBe(true);
          expect(typeof message.content).toBe('string');
          continue;
        }
        expect(waiting.size).toBe(0);
        if (message.role === 'assistant') {
          assistants += 1;
          for (const call of (message.tool_calls ?? []) as { id: string; function: { name: string; arguments: unknown } }[]) {
            expect(typeof call.function.arguments).toBe('string');
            expect(call.function.name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
            waiting.add(call.id);
          }
          expect(message.content === null || typeof message.content === 'string').toBe(true);
        }
      }
      expect(waiting.size).toBe(0);
      expect(assistants).toBeGreaterThan(0);
    }
  });

  it('OpenAI-chat keeps reasoning with --keep-reasoning', async () => {
    const dir = await tempDir();
    const base = ['ingest', '--format', 'claude_code', '--path', CLAUDE_PROJECTS, '--output-format', 'openai-chat', '-q'];
    const plain = await runCli(base, { cwd: dir });
    const kept = await runCli([...base, '--keep-reasoning'], { cwd: dir });
    expect([plain.code, kept.code]).toEqual([0, 0]);
    expect(plain.stdout).not.toContain('"reasoning_content"');
    expect(kept.stdout).toContain('"reasoning_content"');
  });
});
