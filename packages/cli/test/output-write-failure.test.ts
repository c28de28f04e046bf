import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, CLAUDE_HOME, tempDir } from './helpers/run-cli.js';

/** Runs the CLI with its stdout on /dev/full, where every write fails with ENOSPC (a disk that filled up). */
async function runToFullDisk(args: readonly string[], cwd: string): Promise<{ code: number | null; stderr: string }> {
  const full = openSync('/dev/full', 'w');
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: { ...process.env, HOME: CLAUDE_HOME, NO_COLOR: '1' },
    stdio: ['ignore', full, 'pipe'],
  });
  // The child has its own copy of the descriptor.
  closeSync(full);
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stderr };
}

describe.skipIf(!existsSync('/dev/full'))('an output that cannot be written', () => {
  it('stops ingest with a clear error, exit code 1 and a report that says why', async () => {
    const dir = await tempDir();
    const { code, stderr } = await runToFullDisk(['ingest', '--format', 'claude_code', '--report', 'report.json'], dir);
    expect(code, stderr).toBe(1);
    expect(stderr).toMatch(/^error: cannot write the output stream: ENOSPC/m);
    expect(stderr).not.toMatch(/\n\s+at /);
    const report = JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8'));
    expect(report.completed).toBe(false);
    expect(report.stoppedBy).toMatch(/ENOSPC/);
  });

  it('fails a command that prints to stdout, with the reason and no stack trace', async () => {
    const { code, stderr } = await runToFullDisk(['formats'], await tempDir());
    expect(code, stderr).toBe(1);
    expect(stderr).toBe('error: cannot write to stdout: ENOSPC: no space left on device, write\n');
  });
});
