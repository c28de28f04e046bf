import { describe, expect, it } from 'vitest';
import { CLAUDE_HOME, CLAUDE_PROJECTS, CODEX_SESSIONS, jsonLines, runCli, tempDir } from './helpers/run-cli.js';

interface Row {
  is_sidechain: boolean;
  started_at: string | null;
  ended_at: string | null;
  messages: { role: string; tool_calls?: { function: { name: string } }[] }[];
  source_meta: { token_usage?: Record<string, Record<string, number>> };
}

describe('stats', () => {
  it('--json counts what ingest writes: sessions, subagents, roles, tools, tokens by model, dates', async () => {
    const dir = await tempDir();
    const [stats, ingest] = await Promise.all([
      runCli(['stats', '--format', 'claude_code', '--path', CLAUDE_PROJECTS, '--json', '-q'], { cwd: dir }),
      runCli(['ingest', '--format', 'claude_code', '--path', CLAUDE_PROJECTS, '-q'], { cwd: dir }),
    ]);
    expect([stats.code, ingest.code]).toEqual([0, 0]);
    expect(stats.stderr).toBe('');
    const summary = JSON.parse(stats.stdout);
    const rows = jsonLines(ingest.stdout) as Row[];

    expect(summary.sessions).toBe(rows.filter((row) => !row.is_sidechain).length);
    expect(summary.subagentSessions).toBe(rows.filter((row) => row.is_sidechain).length);
    expect(summary.subagentSessions).toBeGreaterThan(0);
    const roles: Record<string, number> = {};
    const tools: Record<string, number> = {};
    const tokens: Record<string, Record<string, number>> = {};
    for (const row of rows) {
      for (const message of row.messages) {
        roles[message.role] = (roles[message.role] ?? 0) + 1;
        for (const call of message.tool_calls ?? []) tools[call.function.name] = (tools[call.function.name] ?? 0) + 1;
      }
      for (const [model, counters] of Object.entries(row.source_meta.token_usage ?? {})) {
        for (const [counter, n] of Object.entries(counters)) {
          if (counter === 'responses') continue;
          tokens[model] ??= {};
          (tokens[model] as Record<string, number>)[counter] = ((tokens[model] as Record<string, number>)[counter] ?? 0) + n;
        }
      }
    }
    expect(summary.messagesByRole).toEqual(roles);
    expect(Object.fromEntries(summary.toolCalls.top.map((t: { name: string; calls: number }) => [t.name, t.calls]))).toEqual(tools);
    expect(summary.tokensByModel).toEqual(tokens);
    expect(Object.keys(summary.tokensByModel)).toContain('claude-sonnet-4-5-20250929');
    const starts = rows
      .map((row) => row.started_at)
      .filter((t): t is string => t !== null)
      .sort();
    const ends = rows
      .map((row) => row.ended_at)
      .filter((t): t is string => t !== null)
      .sort();
    expect(summary.dateRange).toEqual({ first: starts[0], last: ends.at(-1) });
    expect(summary.formats).toEqual([expect.objectContaining({ format: 'claude_code', rows: rows.length, filesFailed: 0 })]);
  });

  it('attributes a Codex session’s token total to its model', async () => {
    const dir = await tempDir();
    const result = await runCli(['stats', '--format', 'codex', '--path', CODEX_SESSIONS, '--json', '-q'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.tokensByModel['gpt-5.5-codex'].output_tokens).toBeGreaterThan(0);
    expect(summary.toolCalls.top.map((t: { name: string }) => t.name)).toContain('exec_command');
  });

  it('prints a readable summary with progress lines on a non-terminal stderr', async () => {
    const dir = await tempDir();
    const result = await runCli(['stats'], { cwd: dir, home: CLAUDE_HOME });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^sessions: \d+ {3}subagent sessions: \d+$/m);
    expect(result.stdout).toContain('messages by role');
    expect(result.stdout).toMatch(/tokens by model\nmodel\s+cache_creation_input_tokens/);
    // Plain lines, no terminal control codes.
    expect(result.stderr).toMatch(/^claude_code: reading 22 files/m);
    expect(result.stderr).not.toContain('\x1b[');
  });
});
