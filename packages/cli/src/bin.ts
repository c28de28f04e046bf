#!/usr/bin/env node
import { describeError } from '@agent-rollout/core';
import { EXIT } from './errors.js';
import { main } from './main.js';

const controller = new AbortController();
// The first Ctrl-C stops the read cleanly (no output is published); a second one kills.
process.once('SIGINT', () => controller.abort());
// A failed write to stdout (a closed pipe in `ingest | head`, a full disk) fails the pending
// write, which ends the run with its error; the stream's own error event needs a listener so
// it does not crash the process first. The error is kept for commands that do not wait for
// their writes (it may come after they return), and reported at exit unless the command
// failed already. A reader that closed the pipe had all it wanted: like other Unix tools,
// that is no error.
let stdoutError: NodeJS.ErrnoException | undefined;
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  stdoutError ??= error;
});
process.once('exit', () => {
  if (stdoutError === undefined || stdoutError.code === 'EPIPE' || process.exitCode !== EXIT.ok) return;
  process.stderr.write(`error: cannot write to stdout: ${describeError(stdoutError)}\n`);
  process.exitCode = EXIT.failed;
});

try {
  process.exitCode = await main(process.argv.slice(2), { signal: controller.signal });
} catch (error) {
  process.stderr.write(`error: ${describeError(error)}\n`);
  process.exitCode = EXIT.failed;
}
