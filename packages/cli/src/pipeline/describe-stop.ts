import { describeError, isAgentRolloutError } from '@agent-rollout/core';
import { EXIT, RunError } from '../errors.js';

/** The exit code and message for a read that stopped early. */
export function describeStop(error: unknown): { exitCode: number; message: string } {
  if (isAgentRolloutError(error)) {
    if (error.code === 'aborted') return { exitCode: EXIT.interrupted, message: 'interrupted; nothing was published' };
    if (error.code === 'parse') return { exitCode: EXIT.failed, message: `--strict: stopped at ${error.message}` };
    if (error.code === 'sink') return { exitCode: EXIT.failed, message: error.message };
  }
  if (error instanceof RunError) return { exitCode: EXIT.failed, message: error.message };
  return { exitCode: EXIT.failed, message: describeError(error) };
}
