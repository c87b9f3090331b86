// Delay before a retry: exponential (baseDelayMs, doubled per retry, capped) with "equal jitter":
// half the step is fixed, the other half random, so retries of many requests that failed together
// spread out instead of hitting a recovering backend at the same instant.

export const MAX_RETRY_DELAY_MS = 5_000;

/** Delay before retry number `retry` (1 = the first retry); `random` returns [0, 1). */
export function retryDelayMs(retry: number, baseDelayMs: number, random: () => number = Math.random): number {
  const step = Math.min(MAX_RETRY_DELAY_MS, baseDelayMs * 2 ** Math.max(0, retry - 1));
  return step / 2 + random() * (step / 2);
}
