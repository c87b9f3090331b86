// Delay before the next delivery attempt: exponential (base × 2^(attempt−1), capped at max) with
// equal jitter (half fixed, half random), so notifications that failed together during an outage
// of the Notificaties API do not all hit it again at the same instant when it comes back.
export interface RetryConfig {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Delay after failed attempt number `attempt` (1 = the first delivery failed). */
export function retryDelay(attempt: number, cfg: RetryConfig, random: () => number = Math.random): number {
  const step = Math.min(cfg.maxDelayMs, cfg.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + random() * (step / 2));
}
