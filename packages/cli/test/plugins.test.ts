import { cp, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonLines, projectWithToyPlugin, runCli, TOY_CORPUS, TOY_PLUGIN, tempDir } from './helpers/run-cli.js';

describe('format packages from third parties', () => {
  it('loads a package by name with --plugin from the project’s node_modules', async () => {
    const project = await projectWithToyPlugin();
    const result = await runCli(['formats', '--json', '--plugin', 'agent-rollout-format-toy'], { cwd: project });
    expect(result.code, result.stderr).toBe(0);
    const formats = JSON.parse(result.stdout) as { id: string; package: string; version: string }[];
    expect(formats.find((f) => f.id === 'toy_chat')).toMatchObject({
      displayName: 'Toy Chat',
      package: 'agent-rollout-format-toy',
      version: '1.2.3',
      defaultPath: '~/.toy-chat',
      defaultPathExists: false,
      filePattern: '*.chat.jsonl',
    });
  });

  it('discovers an installed package without --plugin and reads its default path with no flags at all', async () => {
    const project = await projectWithToyPlugin();
    const home = await tempDir();
    await mkdir(path.join(home, '.toy-chat'));
    await cp(path.join(TOY_CORPUS, 'alpha.chat.jsonl'), path.join(home, '.toy-chat', 'alpha.chat.jsonl'));
    const listed = await runCli(['formats'], { cwd: project, home });
    expect(listed.stdout).toMatch(/toy_chat\s+Toy Chat\s+agent-rollout-format-toy@1\.2\.3\s+~\/\.toy-chat\s+yes/);
    const result = await runCli(['ingest', '-q'], { cwd: project, home });
    expect(result.code, result.stderr).toBe(0);
    expect(jsonLines(result.stdout)).toMatchObject([{ trace_id: 'toy-01', source_kind: 'toy_chat', source_path: 'alpha.chat.jsonl' }]);
  });

  it('loads a package by path', async () => {
    const dir = await tempDir();
    const result = await runCli(['ingest', '--plugin', TOY_PLUGIN, '--format', 'toy_chat', '--path', TOY_CORPUS, '--limit', '1', '-q'], {
      cwd: dir,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(jsonLines(result.stdout)).toHaveLength(1);
  });

  it('names a plugin that cannot be found, as a usage error', async () => {
    const dir = await tempDir();
    const result = await runCli(['ingest', '--plugin', 'agent-rollout-format-missing', '--format', 'x'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--plugin agent-rollout-format-missing: the package is not installed');
  });
});
