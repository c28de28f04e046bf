import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const support = import.meta.dirname;
/** The CLI's entry point, run from its TypeScript sources. */
const CLI_BIN = path.resolve(support, '..', '..', '..', 'cli', 'src', 'bin.ts');

/** Starts `agent-rollout <args>` from the sources in a child process. */
export function startCli(args: readonly string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(
    process.execPath,
    ['--conditions=@agent-rollout/source', '--import', path.join(support, 'ts-loader.mjs'), CLI_BIN, ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    },
  );
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Collects a child's output until it exits. */
export function exited(child: ChildProcess): Promise<Exit> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })));
}
