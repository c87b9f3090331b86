// Per-bronorganisatie counters for generated klantnummers (kla-001). A counter starts at the
// backend's current highest numeric klantnummer of that bronorganisatie (asked once, when the
// counter does not exist yet) and only goes up. In Redis, INCR makes numbers unique across every
// gateway instance; the uniqueness check against the backend catches numbers other systems took,
// and `raise` then moves the counter past them.
import { kla001Key, type RedisCommands } from './write-redis.ts';

export interface KlantnummerCounter {
  /** The next number; `seed` (the backend's highest number) is asked only when the counter is new. */
  next(bronorganisatie: string, seed: () => Promise<number>): Promise<number>;
  /** Make the counter at least `value` (it never goes down). */
  raise(bronorganisatie: string, value: number): Promise<void>;
}

export class MemoryKlantnummerCounter implements KlantnummerCounter {
  private readonly counters = new Map<string, number>();
  private readonly seeding = new Map<string, Promise<void>>();

  async next(bronorganisatie: string, seed: () => Promise<number>): Promise<number> {
    if (!this.counters.has(bronorganisatie)) {
      // Single flight: concurrent first creates of one bronorganisatie ask the backend once.
      let pending = this.seeding.get(bronorganisatie);
      if (!pending) {
        pending = seed()
          .then((max) => {
            if (!this.counters.has(bronorganisatie)) this.counters.set(bronorganisatie, max);
          })
          .finally(() => this.seeding.delete(bronorganisatie));
        this.seeding.set(bronorganisatie, pending);
      }
      await pending;
    }
    const n = (this.counters.get(bronorganisatie) ?? 0) + 1;
    this.counters.set(bronorganisatie, n);
    return n;
  }

  async raise(bronorganisatie: string, value: number): Promise<void> {
    if ((this.counters.get(bronorganisatie) ?? 0) < value) this.counters.set(bronorganisatie, value);
  }
}

// SET key to ARGV[1] unless it already holds a larger number.
const RAISE = `local v = tonumber(redis.call('GET', KEYS[1]) or '0')
if v == nil or v < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1]) end
return 1`;

export class RedisKlantnummerCounter implements KlantnummerCounter {
  private readonly redis: RedisCommands;
  private readonly prefix: string;
  private readonly seeding = new Map<string, Promise<void>>();

  constructor(redis: RedisCommands, prefix: string) {
    this.redis = redis;
    this.prefix = prefix;
  }

  async next(bronorganisatie: string, seed: () => Promise<number>): Promise<number> {
    const key = this.key(bronorganisatie);
    if ((await this.redis.exists(key)) === 0) {
      let pending = this.seeding.get(bronorganisatie);
      if (!pending) {
        // Instances seeding at once each read the backend; the first SET wins, later ones only raise.
        pending = seed()
          .then(async (max) => {
            await this.redis.eval(RAISE, 1, key, String(max));
          })
          .finally(() => this.seeding.delete(bronorganisatie));
        this.seeding.set(bronorganisatie, pending);
      }
      await pending;
    }
    return this.redis.incr(key);
  }

  async raise(bronorganisatie: string, value: number): Promise<void> {
    await this.redis.eval(RAISE, 1, this.key(bronorganisatie), String(value));
  }

  private key(bronorganisatie: string): string {
    return kla001Key(this.prefix, bronorganisatie, 'klantnummer');
  }
}
