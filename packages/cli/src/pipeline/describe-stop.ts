import { describeError, isAgentRolloutError } from '@agent-rollout/core';
import { EXIT, RunError } from '../errors.js';

function causeCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } }).cause;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}

/** The exit code and message for a read that stopped early; no message when nothing went wrong. */
export function describeStop(error: unknown): { exitCode: number; message?: string } {
  // `ingest | head`: the reader has all it wanted. Stop like other Unix tools, without noise.
  if (isAgentRolloutError(error) && error.code === 'sink' && causeCode(error) === 'EPIPE') return { exitCode: EXIT.ok };
  if (isAgentRolloutError(error)) {
    if (error.code === 'aborted') return { exitCode: EXIT.interrupted, message: 'interrupted; nothing was published' };
    if (error.code === 'parse') return { exitCode: EXIT.failed, message: `--strict: stopped at ${error.message}` };
    if (error.code === 'sink') return { exitCode: EXIT.failed, message: error.message };
  }
  if (error instanceof RunError) return { exitCode: EXIT.failed, message: error.message };
  return { exitCode: EXIT.failed, message: describeError(error) };
}
