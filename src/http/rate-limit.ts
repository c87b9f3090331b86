// Per-client token bucket (per instance): `burst` requests at once, refilled at
// perClientPerMinute. Runs after authentication; 429 `throttled` with Retry-After when empty.
import type { RequestHandler } from 'express';
import type { RateLimitConfig } from '../config/schema.ts';
import { contextOf } from './context.ts';
import { ApiError } from './problem.ts';

export interface RateLimiter {
  /** Takes one token for `key`; when none is left, how long until there is one. */
  take(key: string): { ok: true } | { ok: false; retryAfterSeconds: number };
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export function createRateLimiter(cfg: RateLimitConfig, now: () => number = Date.now): RateLimiter {
  const perMs = cfg.perClientPerMinute / 60_000;
  // Keys are configured client ids, so the map stays small.
  const buckets = new Map<string, Bucket>();
  return {
    take(key) {
      if (cfg.perClientPerMinute === 0) return { ok: true };
      const t = now();
      let bucket = buckets.get(key);
      if (bucket === undefined) {
        bucket = { tokens: cfg.burst, updatedAt: t };
        buckets.set(key, bucket);
      } else {
        bucket.tokens = Math.min(cfg.burst, bucket.tokens + (t - bucket.updatedAt) * perMs);
        bucket.updatedAt = t;
      }
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { ok: true };
      }
      return { ok: false, retryAfterSeconds: (1 - bucket.tokens) / perMs / 1000 };
    },
  };
}

export function rateLimit(limiter: RateLimiter): RequestHandler {
  return (_req, res, next) => {
    const clientId = contextOf(res).principal?.clientId;
    if (clientId === undefined) return next();
    const result = limiter.take(clientId);
    if (result.ok) return next();
    next(ApiError.tooManyRequests(result.retryAfterSeconds));
  };
}
