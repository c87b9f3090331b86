// kla-001 claims: a write that is about to give a klant the pair (bronorganisatie, klantnummer)
// holds a short-lived claim on it from the uniqueness check until the backend has answered, so two
// writes (on any gateway instance) cannot both find the pair free and both store it. The claim
// expires by itself (ttl) should its holder die; the holder releases it as soon as it is done.
import { randomUUID } from 'node:crypto';
import { DELETE_IF_EQUAL, kla001Key, type RedisCommands } from './write-redis.ts';

export interface Claim {
  release(): Promise<void>;
}

export interface KlantnummerClaims {
  /** The claim, or undefined while another write holds it. */
  tryClaim(bronorganisatie: string, klantnummer: string): Promise<Claim | undefined>;
}

/** Long enough for a uniqueness check, a kennisgeving and the find-back at their timeouts. */
export const DEFAULT_CLAIM_TTL_MS = 60_000;

export class MemoryKlantnummerClaims implements KlantnummerClaims {
  private readonly held = new Map<string, { token: string; expires: number }>();
  private readonly ttlMs: number;

  constructor(ttlMs = DEFAULT_CLAIM_TTL_MS) {
    this.ttlMs = ttlMs;
  }

  async tryClaim(bronorganisatie: string, klantnummer: string): Promise<Claim | undefined> {
    const key = JSON.stringify([bronorganisatie, klantnummer]);
    const now = Date.now();
    const current = this.held.get(key);
    if (current && current.expires > now) return undefined;
    const token = randomUUID();
    this.held.set(key, { token, expires: now + this.ttlMs });
    return {
      release: async () => {
        if (this.held.get(key)?.token === token) this.held.delete(key);
      },
    };
  }
}

export class RedisKlantnummerClaims implements KlantnummerClaims {
  private readonly redis: RedisCommands;
  private readonly prefix: string;
  private readonly ttlMs: number;

  constructor(redis: RedisCommands, prefix: string, ttlMs = DEFAULT_CLAIM_TTL_MS) {
    this.redis = redis;
    this.prefix = prefix;
    this.ttlMs = ttlMs;
  }

  async tryClaim(bronorganisatie: string, klantnummer: string): Promise<Claim | undefined> {
    // The klantnummer is free text (≤ 8 characters): hex keeps the key unambiguous.
    const key = kla001Key(this.prefix, bronorganisatie, `claim:${Buffer.from(klantnummer, 'utf8').toString('hex')}`);
    const token = randomUUID();
    const ok = await this.redis.set(key, token, 'PX', this.ttlMs, 'NX');
    // A SET resent after a dropped connection (whose first copy ran but whose reply was lost)
    // finds the claim taken — by itself: the token says whose it is.
    if (ok !== 'OK' && (await this.redis.get(key)) !== token) return undefined;
    return {
      release: async () => {
        await this.redis.eval(DELETE_IF_EQUAL, 1, key, token);
      },
    };
  }
}
