import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { NormalizedRolloutSchema } from '@agent-rollout/core';
import { describe, expect, it } from 'vitest';
import { jsonLines, runCli, TOY_CORPUS, TOY_PLUGIN, tempDir } from './helpers/run-cli.js';

const TOY = ['--plugin', TOY_PLUGIN, '--format', 'toy_chat', '--path', TOY_CORPUS];

describe('ingest to JSONL with a third-party format package', () => {
  it('writes one valid row per session file and accounts for every file in the report', async () => {
    const dir = await tempDir();
    const result = await runCli(['ingest', ...TOY, '--out', 'rows.jsonl', '--report', 'report.json'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const rows = jsonLines(await readFile(path.join(dir, 'rows.jsonl'), 'utf8'));
    // 9 sessions: 8 at the top, 1 nested; empty.chat.jsonl holds none.
    expect(rows).toHaveLength(9);
    for (const row of rows) expect(NormalizedRolloutSchema.safeParse(row).success).toBe(true);
    expect(rows.map((row) => (row as { trace_id: string }).trace_id)).toContain('toy-09');

    const report = JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8'));
    expect(report.completed).toBe(true);
    expect(report.output).toMatchObject({ format: 'jsonl', rowsWritten: 9, path: path.join(dir, 'rows.jsonl') });
    expect(report.formats).toHaveLength(1);
    expect(report.formats[0].files).toEqual({ matched: 10, handled: 10, unhandled: 0, notSelected: 0, parsed: 9, skipped: 1, failed: 0 });
    expect(report.formats[0].skipped).toEqual([{ path: 'empty.chat.jsonl', reason: 'the file holds no chat lines' }]);
    // The summary table goes to stderr.
    expect(result.stderr).toMatch(/toy_chat\s+9\s+0\s+1\s+0\s+9/);
    // No temporary file is left beside the output.
    expect((await readdir(dir)).sort()).toEqual(['report.json', 'rows.jsonl']);
  });

  it('writes the same bytes on every run, to a file or to stdout', async () => {
    const dir = await tempDir();
    const first = await runCli(['ingest', ...TOY, '--out', 'a.jsonl', '-q'], { cwd: dir });
    const second = await runCli(['ingest', ...TOY, '--out', 'b.jsonl', '-q'], { cwd: dir });
    const piped = await runCli(['ingest', ...TOY, '-q'], { cwd: dir });
    expect([first.code, second.code, piped.code]).toEqual([0, 0, 0]);
    const a = await readFile(path.join(dir, 'a.jsonl'), 'utf8');
    expect(await readFile(path.join(dir, 'b.jsonl'), 'utf8')).toBe(a);
    expect(piped.stdout).toBe(a);
    expect(piped.stderr).toBe('');
  });

  it('does not descend into subfolders with --no-recursive', async () => {
    const dir = await tempDir();
    const result = await runCli(['ingest', ...TOY, '--no-recursive', '-q'], { cwd: dir });
    expect(result.code).toBe(0);
    const ids = jsonLines(result.stdout).map((row) => (row as { trace_id: string }).trace_id);
    expect(ids).toHaveLength(8);
    expect(ids).not.toContain('toy-09');
  });
});
