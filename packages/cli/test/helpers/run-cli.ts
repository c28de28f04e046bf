import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

export const CLI_DIR = path.resolve(import.meta.dirname, '..', '..');
export const BIN = path.join(CLI_DIR, 'dist', 'bin.js');
export const FIXTURES = path.join(CLI_DIR, 'test', 'fixtures');
export const TOY_PLUGIN = path.join(FIXTURES, 'toy-format');
export const TOY_CORPUS = path.join(FIXTURES, 'toy-corpus');
export const TOY_HOSTILE = path.join(FIXTURES, 'toy-hostile');
/** Real Claude Code 2.0.76 and Codex 0.169.0 session folders from the shared corpus, each as a $HOME. */
export const CLAUDE_HOME = path.join(FIXTURES, 'corpus', 'claude-code-2.0.76');
export const CLAUDE_PROJECTS = path.join(CLAUDE_HOME, '.claude', 'projects');
export const CODEX_HOME = path.join(FIXTURES, 'corpus', 'codex-0.169.0');
export const CODEX_SESSIONS = path.join(CODEX_HOME, '.codex', 'sessions');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built binary like a user would; HOME is the given folder so no real sessions are read. */
export function runCli(args: readonly string[], options: { cwd: string; home?: string }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd,
      env: { ...process.env, HOME: options.home ?? options.cwd, USERPROFILE: options.home ?? options.cwd, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const made: string[] = [];
afterAll(async () => {
  await Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A fresh temporary folder, removed after the test file. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'agent-rollout-cli-'));
  made.push(dir);
  return dir;
}

/**
 * A user's project with the toy format package installed in node_modules beside
 * @agent-rollout/core, as `npm install agent-rollout-format-toy` would leave it.
 */
export async function projectWithToyPlugin(): Promise<string> {
  const project = await tempDir();
  await mkdir(path.join(project, 'node_modules', '@agent-rollout'), { recursive: true });
  await symlink(path.resolve(CLI_DIR, '..', 'core'), path.join(project, 'node_modules', '@agent-rollout', 'core'), 'dir');
  await cp(TOY_PLUGIN, path.join(project, 'node_modules', 'agent-rollout-format-toy'), { recursive: true });
  return project;
}

/** The non-empty lines of a JSONL text, parsed. */
export function jsonLines(text: string): unknown[] {
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as unknown);
}
