// Per-client token bucket: `burst` requests at once, refilled at perClientPerMinute. Runs after
// authentication; 429 `throttled` with Retry-After when empty. This module holds the contract both
// request paths call (the Express middleware below and the cache fast path) and the in-process
// bucket; rate-limit-redis.ts shares the budget across instances through Redis.
import type { RequestHandler, Response } from 'express';
import type { RateLimitConfig } from '../config/schema.ts';
import { contextOf } from './context.ts';
import { ApiError } from './problem.ts';

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

export interface RateLimiter {
  /**
   * Takes one token for `key`; when none is left, how long until there is one. Synchronous when
   * this instance can decide alone, a promise when it must first reserve tokens elsewhere (Redis).
   * Never rejects.
   */
  take(key: string): RateDecision | Promise<RateDecision>;
  /**
   * The synchronous form for callers that cannot wait (the cache fast path): undefined, with
   * nothing taken, when only take() can decide; the caller then hands the request to one that can.
   */
  takeNow(key: string): RateDecision | undefined;
}

/** The in-process limiter: always decides at once. */
export interface LocalRateLimiter extends RateLimiter {
  take(key: string): RateDecision;
  takeNow(key: string): RateDecision;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export function createRateLimiter(cfg: RateLimitConfig, now: () => number = Date.now): LocalRateLimiter {
  const perMs = cfg.perClientPerMinute / 60_000;
  // Keys are configured client ids, so the map stays small.
  const buckets = new Map<string, Bucket>();
  function take(key: string): RateDecision {
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
  }
  return { take, takeNow: take };
}

// A request passes the limiter once, even where two mounts cover its path (the API and an upstream under it).
const charged = new WeakSet<Response>();

export function rateLimit(limiter: RateLimiter): RequestHandler {
  return (_req, res, next) => {
    const clientId = contextOf(res).principal?.clientId;
    if (clientId === undefined || charged.has(res)) return next();
    charged.add(res);
    const decision = limiter.take(clientId);
    if ('then' in decision) {
      // take() never rejects; should it ever, the request passes rather than failing with a 5xx.
      decision.then((d) => settle(d, next), () => next());
      return;
    }
    settle(decision, next);
  };
}

function settle(decision: RateDecision, next: (err?: unknown) => void): void {
  if (decision.ok) next();
  else next(ApiError.tooManyRequests(decision.retryAfterSeconds));
}
