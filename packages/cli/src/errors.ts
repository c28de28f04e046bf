/** Exit codes of the `agent-rollout` command. */
export const EXIT = {
  /** The run finished (skipped and failed files are in the report). */
  ok: 0,
  /** `--strict` stopped the run, or an output could not be written. */
  failed: 1,
  /** The command line was wrong: a bad flag, value or combination. */
  usage: 2,
  /** Interrupted by SIGINT. */
  interrupted: 130,
} as const;

/** A mistake on the command line. The message names the flag and what it accepts. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The run could not finish (strict stop, unwritable output). */
export class RunError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RunError';
  }
}
