// Shared state of the write path: the klantnummer counters, the kla-001 claims and the
// Idempotency-Key records. In Redis when the gateway has one (several instances then agree),
// in-process otherwise (key layout: write-redis.ts).
import type { Cluster, Redis } from 'ioredis';
import { BackendAnswerError, BackendUnavailableError } from '../backend/errors.ts';
import { ApiError } from '../http/problem.ts';
import { MemoryIdempotencyStore, RedisIdempotencyStore, type IdempotencyStore } from './idempotency-store.ts';
import { MemoryKlantnummerClaims, RedisKlantnummerClaims, type KlantnummerClaims } from './klantnummer-claims.ts';
import { MemoryKlantnummerCounter, RedisKlantnummerCounter, type KlantnummerCounter } from './klantnummer-counter.ts';
import type { RedisCommands } from './write-redis.ts';

export interface WriteStores {
  counter: KlantnummerCounter;
  claims: KlantnummerClaims;
  idempotency: IdempotencyStore;
}

export function createWriteStores(redis: Redis | Cluster | RedisCommands | undefined, keyPrefix: string): WriteStores {
  if (!redis) {
    return { counter: new MemoryKlantnummerCounter(), claims: new MemoryKlantnummerClaims(), idempotency: new MemoryIdempotencyStore() };
  }
  const r: RedisCommands = redis;
  return {
    counter: new RedisKlantnummerCounter(r, keyPrefix),
    claims: new RedisKlantnummerClaims(r, keyPrefix),
    idempotency: new RedisIdempotencyStore(r, keyPrefix),
  };
}

/**
 * Runs a store operation; a store that fails (Redis down or slow) becomes a 503: the write path
 * cannot promise a unique klantnummer or an idempotent retry without it, and writing anyway could
 * break either promise.
 */
export async function storeCall<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    // Errors of the backend (e.g. while seeding a counter) are not the store's.
    if (e instanceof ApiError || e instanceof BackendUnavailableError || e instanceof BackendAnswerError) throw e;
    throw new ApiError({
      status: 503,
      code: 'service_unavailable',
      title: 'Dienst tijdelijk niet beschikbaar.',
      detail: `${what} is nu niet mogelijk; probeer het later opnieuw.`,
      headers: { 'Retry-After': '5' },
      cause: e,
    });
  }
}
