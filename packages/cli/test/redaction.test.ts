import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, TOY_PLUGIN, tempDir } from './helpers/run-cli.js';

// Fake, valid-shaped values: an AWS access key id and a custom in-house token.
const AWS_KEY = 'AKIAZ7QWERTYUIOPASDF';
const ACME_TOKEN = 'acme_q8w7e6r5t4y3u2i1o0p9a8s7d6f5g4h3';

async function sessionWithSecrets(): Promise<{ dir: string; folder: string }> {
  const dir = await tempDir();
  const folder = path.join(dir, 'chats');
  await mkdir(folder);
  const lines = [
    { session: 'secret-1', time: '2026-11-02T09:00:00Z', role: 'user', text: `deploy with AWS_ACCESS_KEY_ID=${AWS_KEY} please` },
    { session: 'secret-1', time: '2026-11-02T09:00:05Z', role: 'assistant', text: `Using token ${ACME_TOKEN} for the deploy.` },
  ];
  await writeFile(path.join(folder, 'leaky.chat.jsonl'), `${lines.map((line) => JSON.stringify(line)).join('\n')}\n`);
  return { dir, folder };
}

describe('redaction between the reader and every sink', () => {
  it('is on by default; the report counts replacements per rule and never holds the secret', async () => {
    const { dir, folder } = await sessionWithSecrets();
    const rules = { rules: [{ id: 'acme-token', pattern: 'acme_[a-z0-9]{32}', keywords: ['acme_'] }] };
    await writeFile(path.join(dir, 'rules.json'), JSON.stringify(rules));
    for (const format of ['jsonl', 'openai-chat']) {
      const result = await runCli(
        [
          'ingest',
          '--plugin',
          TOY_PLUGIN,
          '--format',
          'toy_chat',
          '--path',
          folder,
          '--output-format',
          format,
          '--redact-rules',
          'rules.json',
          '--report',
          'report.json',
          '-q',
        ],
        { cwd: dir },
      );
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).not.toContain(AWS_KEY);
      expect(result.stdout).not.toContain(ACME_TOKEN);
      expect(result.stdout).toContain('[REDACTED:acme-token]');
      const reportText = await readFile(path.join(dir, 'report.json'), 'utf8');
      expect(reportText).not.toContain(AWS_KEY);
      const report = JSON.parse(reportText);
      expect(report.redacted).toBe(true);
      expect(report.redactions['acme-token']).toBe(1);
      expect(Object.values(report.redactions).reduce((a, b) => (a as number) + (b as number), 0)).toBeGreaterThanOrEqual(2);
      expect(report.formats[0].redactions).toEqual(report.redactions);
    }
  });

  it('is off with --no-redact, and stats never print a secret either', async () => {
    const { dir, folder } = await sessionWithSecrets();
    const raw = await runCli(['ingest', '--plugin', TOY_PLUGIN, '--format', 'toy_chat', '--path', folder, '--no-redact', '-q'], {
      cwd: dir,
    });
    expect(raw.stdout).toContain(AWS_KEY);
    const stats = await runCli(['stats', '--plugin', TOY_PLUGIN, '--format', 'toy_chat', '--path', folder, '--json', '-q'], { cwd: dir });
    expect(stats.code).toBe(0);
    expect(stats.stdout).not.toContain(AWS_KEY);
    expect(Object.keys(JSON.parse(stats.stdout).redactions).length).toBeGreaterThan(0);
  });
});
