/** How failed calls are retried. */
export interface RetryPolicy {
  /** Attempts after the first one, for 429, 5xx, timeouts and connection errors. Default 4. */
  maxRetries: number;
  /** The first delay, doubled on each retry. Default 1000 ms. */
  baseDelayMs: number;
  /** No delay is longer than this, `Retry-After` included. Default 60 000 ms. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 4, baseDelayMs: 1000, maxDelayMs: 60_000 };

/**
 * The wait before retry number `attempt` (1-based): exponential with jitter (between half and all of the step), so that many
 * clients that failed together do not retry together. A server's `Retry-After` is a floor.
 */
export function retryDelay(attempt: number, policy: RetryPolicy, retryAfterMs?: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jittered = ceiling / 2 + random() * (ceiling / 2);
  const delay = retryAfterMs === undefined ? jittered : Math.max(retryAfterMs, jittered);
  return Math.min(policy.maxDelayMs, Math.round(delay));
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
