import { cp, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLAUDE_HOME, CODEX_HOME, jsonLines, runCli, tempDir } from './helpers/run-cli.js';

describe('several formats in one run', () => {
  it('reads every format found at its default path, one report per format in the combined report', async () => {
    const home = await tempDir();
    await cp(path.join(CLAUDE_HOME, '.claude'), path.join(home, '.claude'), { recursive: true });
    await cp(path.join(CODEX_HOME, '.codex'), path.join(home, '.codex'), { recursive: true });
    const dir = await tempDir();
    const result = await runCli(['ingest', '--out', 'all.jsonl', '--report', 'report.json'], { cwd: dir, home });
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8'));
    expect(report.formats.map((r: { format: string }) => r.format)).toEqual(['claude_code', 'codex']);
    const rows = jsonLines(await readFile(path.join(dir, 'all.jsonl'), 'utf8')) as { source_kind: string }[];
    // Formats are read one after the other, in id order.
    const kinds = rows.map((row) => row.source_kind);
    expect(kinds).toEqual([...kinds].sort());
    expect(new Set(kinds)).toEqual(new Set(['claude_code', 'codex']));
    expect(report.output.rowsWritten).toBe(report.formats[0].rows + report.formats[1].rows);
    expect(result.stderr).toMatch(/^claude_code\s+\d+/m);
    expect(result.stderr).toMatch(/^codex\s+\d+/m);
  });

  it('--file-pattern narrows the files of each format', async () => {
    const dir = await tempDir();
    const all = await runCli(['ingest', '--format', 'claude_code', '--path', path.join(CLAUDE_HOME, '.claude', 'projects'), '-q'], {
      cwd: dir,
    });
    const agents = await runCli(
      [
        'ingest',
        '--format',
        'claude_code',
        '--path',
        path.join(CLAUDE_HOME, '.claude', 'projects'),
        '--file-pattern',
        'agent-*.jsonl',
        '-q',
      ],
      { cwd: dir },
    );
    expect([all.code, agents.code]).toEqual([0, 0]);
    const agentRows = jsonLines(agents.stdout) as { source_path: string; is_sidechain: boolean }[];
    expect(agentRows.length).toBeGreaterThan(0);
    expect(agentRows.length).toBeLessThan(jsonLines(all.stdout).length);
    for (const row of agentRows) expect(path.basename(row.source_path)).toMatch(/^agent-/);
  });
});
