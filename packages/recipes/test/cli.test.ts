import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type ChatServer, startChatServer } from './support/chat-server.js';
import { exited, startCli } from './support/cli.js';
import { CLAUDE_FIXTURES, fixtureRows, tempDir } from './support/fixtures.js';
import { goodAnswer } from './support/scripted-model.js';

let server: ChatServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const source = ['--format', 'claude_code', '--path', CLAUDE_FIXTURES, '--workers', '1'];

describe('agent-rollout tool-review and distill', () => {
  it('tool-review writes one labelled record per tool call and prints a summary', async () => {
    server = await startChatServer(goodAnswer);
    const out = path.join(await tempDir(), 'tools.jsonl');
    const run = await exited(
      startCli(
        [
          'tool-review',
          ...source,
          '--out',
          out,
          '--base-url',
          server.baseUrl,
          '--no-api-key',
          '--model',
          'local-model',
          '--no-strict-schema',
        ],
        {},
      ),
    );
    expect(run.stderr).toContain('tool-review: model local-model');
    expect(run.code).toBe(0);
    const rows = await fixtureRows();
    const lines = (await readFile(out, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(rows.reduce((sum, row) => sum + row.tool_call_count, 0));
    expect(server.requests.every((request) => request.body.model === 'local-model' && request.headers.authorization === undefined)).toBe(
      true,
    );
  }, 60_000);

  it('stops before any row with exit 1 when the key is missing, and exit 2 without --out', async () => {
    const noKey = await exited(startCli(['distill', ...source, '--out', 'never.jsonl', '--api-key-env', 'SURELY_UNSET_KEY_VAR'], {}));
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toContain('SURELY_UNSET_KEY_VAR is not set');
    const noOut = await exited(startCli(['distill', ...source], {}));
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain('--out <file> is needed');
  }, 60_000);
});
