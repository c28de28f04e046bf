import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CommanderError } from 'commander';
import type { CliContext } from './context.js';
import { EXIT, UsageError } from './errors.js';
import { CLI_PACKAGE_DIR } from './pipeline/load-formats.js';
import { buildProgram } from './program.js';

/** This package's version, from its package.json. */
export function cliVersion(): string {
  const pkg = JSON.parse(readFileSync(path.join(CLI_PACKAGE_DIR, 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

/** Commander's own outcomes that are not errors. */
const NOT_ERRORS = new Set(['commander.helpDisplayed', 'commander.version', 'commander.help']);

/**
 * Runs the CLI on `argv` (without `node` and the script) and returns the exit code: 0 done,
 * 1 stopped (strict, unwritable output), 2 usage error.
 */
export async function main(argv: readonly string[], overrides: Partial<CliContext> = {}): Promise<number> {
  const context: CliContext = {
    cwd: process.cwd(),
    stdout: process.stdout,
    stderr: process.stderr,
    signal: new AbortController().signal,
    version: cliVersion(),
    ...overrides,
  };
  let exitCode: number = EXIT.ok;
  const program = buildProgram(context, (code) => {
    exitCode = code;
  });
  if (argv.length === 0) {
    program.outputHelp({ error: true });
    return EXIT.usage;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return NOT_ERRORS.has(error.code) ? EXIT.ok : EXIT.usage;
    if (error instanceof UsageError) {
      context.stderr.write(`error: ${error.message}\n`);
      return EXIT.usage;
    }
    throw error;
  }
}
