import type { ChildProcess } from 'node:child_process';
import { appendFile, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runDistill } from '../src/recipes/distill.js';
import { type ChatServer, startChatServer } from './support/chat-server.js';
import { exited, startCli } from './support/cli.js';
import { CLAUDE_FIXTURES, fixtureRegistry, fixtureRows, fixtureSource, tempDir } from './support/fixtures.js';
import { goodAnswer, stepOf } from './support/scripted-model.js';

function startChild(baseUrl: string, out: string): ChildProcess {
  return startCli(
    [
      'distill',
      '--format',
      'claude_code',
      '--path',
      CLAUDE_FIXTURES,
      '--out',
      out,
      '--base-url',
      baseUrl,
      '--api-key-env',
      'TEST_KEY',
    ].concat(['--concurrency', '2', '--workers', '1', '--quiet', '--summary', `${out}.summary.json`]),
    { TEST_KEY: 'k' },
  );
}

async function lineCount(file: string): Promise<number> {
  try {
    return (await readFile(file, 'utf8')).split('\n').filter((line) => line.endsWith('}')).length;
  } catch {
    return 0;
  }
}

let server: ChatServer | undefined;
let child: ChildProcess | undefined;
afterEach(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await server?.close();
  server = undefined;
});

describe('kill and resume', () => {
  it('a killed `agent-rollout distill`, run again with the same arguments, ends with every row exactly once', async () => {
    // Slow answers so the kill lands mid-run.
    server = await startChatServer((request) => ({ ...goodAnswer(request), delayMs: 150 }));
    const dir = await tempDir();
    const out = path.join(dir, 'distilled.jsonl');
    const rows = await fixtureRows();

    child = startChild(server.baseUrl, out);
    const firstRun = exited(child);
    while ((await lineCount(out)) < 2) {
      if (child.exitCode !== null) throw new Error(`the child ended before it could be killed: ${(await firstRun).stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    child.kill('SIGKILL');
    const killed = await firstRun;
    expect(killed.signal).toBe('SIGKILL');
    const doneBeforeKill = await lineCount(out);
    expect(doneBeforeKill).toBeLessThan(rows.length);

    // A kill in the middle of a write leaves a torn last line; add one the way a kill would.
    await appendFile(out, '{"trace_id":"torn-by-the-kill","digest_user_goal":"half wri');
    const tornSize = (await stat(out)).size;
    const requestsBefore = server.requests.length;

    child = startChild(server.baseUrl, out);
    const secondRun = await exited(child);
    expect(secondRun.stderr).toBe('');
    expect(secondRun.code).toBe(0);
    const summary = JSON.parse(await readFile(`${out}.summary.json`, 'utf8')) as {
      rows: { resumed: number; processed: number };
      truncatedBytes: number;
    };
    expect(summary.rows.resumed).toBe(doneBeforeKill);
    expect(summary.rows.processed).toBe(rows.length - doneBeforeKill);
    expect(summary.truncatedBytes).toBeGreaterThan(0);

    const text = await readFile(out, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const lines = text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { trace_id: string });
    expect(lines.map((line) => line.trace_id).sort()).toEqual(rows.map((row) => row.trace_id).sort());
    expect((await stat(out)).size).toBeGreaterThan(tornSize - 60);
    // Finished rows were not sent again: the rerun asked for one digest per missing row.
    const rerunDigests = server.requests.slice(requestsBefore).filter((request) => stepOf(request) === 'digest').length;
    expect(rerunDigests).toBe(rows.length - doneBeforeKill);

    // A third run (in this process, same arguments) has nothing left to do.
    const third = await runDistill({
      sources: [fixtureSource],
      registry: fixtureRegistry(),
      out,
      concurrency: 2,
      llm: { baseUrl: server.baseUrl, env: { NVIDIA_API_KEY: 'k' } },
      progress: false,
    });
    expect(third.summary.rows).toMatchObject({ resumed: rows.length, processed: 0 });
    expect(await readFile(out, 'utf8')).toBe(text);
  }, 120_000);
});
