import { access, cp, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLAUDE_PROJECTS, runCli, TOY_HOSTILE, TOY_PLUGIN, tempDir } from './helpers/run-cli.js';

const TOY = ['ingest', '--plugin', TOY_PLUGIN, '--format', 'toy_chat', '--path', TOY_HOSTILE];

describe('a hostile folder', () => {
  it('without --strict: the bad file is in the report, the good ones are written, exit 0', async () => {
    const dir = await tempDir();
    const result = await runCli([...TOY, '--out', 'rows.jsonl', '--report', 'report.json'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8'));
    expect(report.completed).toBe(true);
    expect(report.formats[0].failures).toEqual([
      { path: 'bad.chat.jsonl', line: 2, reason: 'expected "role" to be one of system, user, assistant, tool' },
    ]);
    expect(report.formats[0].files).toMatchObject({ parsed: 2, failed: 1 });
    expect(result.stderr).toContain('failed: toy_chat bad.chat.jsonl:2: expected "role" to be one of system, user, assistant, tool');
    expect((await readFile(path.join(dir, 'rows.jsonl'), 'utf8')).trim().split('\n')).toHaveLength(2);
  });

  it('with --strict: stops at the bad file with exit 1, publishes no dataset, still writes the report', async () => {
    const dir = await tempDir();
    const result = await runCli([...TOY, '--strict', '--out', 'rows.jsonl', '--report', 'report.json', '-q'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/error: --strict: stopped at .*bad\.chat\.jsonl:2: expected "role"/);
    expect(await readdir(dir)).toEqual(['report.json']);
    const report = JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8'));
    expect(report.completed).toBe(false);
    expect(report.stoppedBy).toContain('bad.chat.jsonl:2');
    expect(report.output).toBeUndefined();
    expect(report.formats[0].completed).toBe(false);
  });

  it('with --strict on Claude Code sessions with a corrupt line: exit 1 naming the file and line', async () => {
    const dir = await tempDir();
    const folder = path.join(dir, 'projects');
    await cp(CLAUDE_PROJECTS, folder, { recursive: true });
    const [project] = await readdir(folder);
    const sessionDir = path.join(folder, project as string);
    // The bug-fix session of the corpus.
    const session = '871bfb28-cf4a-4863-975b-a3c2b95d7465.jsonl';
    const text = await readFile(path.join(sessionDir, session), 'utf8');
    const lines = text.split('\n');
    lines.splice(2, 0, '{"type": "user", "message": {"role": "user", "content": "cut sh');
    await writeFile(path.join(sessionDir, session), lines.join('\n'));

    // Without --strict the bad line is a warning and the rest of the session is kept.
    const lenient = await runCli(['ingest', '--format', 'claude_code', '--path', folder, '-q', '--report', 'lenient.json'], { cwd: dir });
    expect(lenient.code, lenient.stderr).toBe(0);
    const report = JSON.parse(await readFile(path.join(dir, 'lenient.json'), 'utf8'));
    expect(report.formats[0].warnings).toContainEqual(expect.objectContaining({ path: expect.stringContaining(session), line: 3 }));
    const strict = await runCli(['ingest', '--format', 'claude_code', '--path', folder, '--strict', '--out', 'out.jsonl'], { cwd: dir });
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain(`${session}:3`);
    await expect(access(path.join(dir, 'out.jsonl'))).rejects.toThrow();
  });
});
