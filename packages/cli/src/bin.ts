#!/usr/bin/env node
import { describeError } from '@agent-rollout/core';
import { EXIT } from './errors.js';
import { main } from './main.js';

const controller = new AbortController();
// The first Ctrl-C stops the read cleanly (no output is published); a second one kills.
process.once('SIGINT', () => controller.abort());
// A closed pipe (`ingest | head`) fails the pending write, which ends the run; the stream's
// own error event needs a listener so it does not crash the process first.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

try {
  process.exitCode = await main(process.argv.slice(2), { signal: controller.signal });
} catch (error) {
  process.stderr.write(`error: ${describeError(error)}\n`);
  process.exitCode = EXIT.failed;
}
