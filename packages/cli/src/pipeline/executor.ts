import type { FileExecutor } from '@agent-rollout/core';

export interface ExecutorChoice {
  /** Undefined: core's in-thread parse. */
  executor: FileExecutor | undefined;
  /** Said once on stderr when the choice differs from what was asked. */
  note?: string;
}

/**
 * The executor for `--workers`. This version of core has no worker pool yet, so every
 * count parses in this thread; the note says so when more than one worker was asked for.
 */
export function chooseExecutor(workers: number): ExecutorChoice {
  if (workers <= 1) return { executor: undefined };
  return {
    executor: undefined,
    note: `--workers ${workers}: this version of @agent-rollout/core has no worker pool yet; parsing in one thread`,
  };
}
