import { createWorkerExecutor, type FileExecutor, type FormatRegistry } from '@agent-rollout/core';

/**
 * The executor for `--workers`: 1 parses in this thread (core's default), more parse in a
 * pool of worker threads. Both give the same rows in the same order.
 */
export function chooseExecutor(workers: number, registry: FormatRegistry): FileExecutor | undefined {
  return workers <= 1 ? undefined : createWorkerExecutor({ workers, registry });
}
