// The Redis commands the write path's stores use (an ioredis Redis or Cluster client fits) and
// their key layout. Every key of one bronorganisatie carries the hash tag `{kla001:<bron>}`, so in
// Redis Cluster its counter and its claims live in one slot.

export interface RedisCommands {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, px: 'PX', milliseconds: number, nx: 'NX'): Promise<'OK' | null>;
  set(key: string, value: string, px: 'PX', milliseconds: number): Promise<'OK'>;
  exists(key: string): Promise<number>;
  incr(key: string): Promise<number>;
  eval(script: string, numkeys: number, ...args: (string | number)[]): Promise<unknown>;
}

/** Redis key of one bronorganisatie's kla-001 state (counter, claims). */
export function kla001Key(prefix: string, bronorganisatie: string, suffix: string): string {
  return `${prefix}:{kla001:${bronorganisatie}}:${suffix}`;
}

/** Deletes KEYS[1] only while it still holds ARGV[1] (a lock or claim released by its owner only). */
export const DELETE_IF_EQUAL = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;
