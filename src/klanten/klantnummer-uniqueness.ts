// kla-001: the pair (bronorganisatie, klantnummer) is unique among all klanten, checked against
// the backend (an Lv01 with `gelijk` on both, for every entity type), and a klantnummer the
// consumer leaves out is generated: unique within the bronorganisatie, at most 8 characters.
//
// Races are closed by claims (klantnummer-claims.ts): a write claims the pair before it checks,
// and holds the claim until the backend answered, so of two writes with the same pair (on any
// gateway instance) the second either waits and then finds it taken, or — for a generated number —
// moves on to the next one. Generated numbers come from a per-bronorganisatie counter (INCR in
// Redis); a number that turns out taken (another system numbered a klant) is skipped, and the
// counter raised past the backend's highest number.
import type { BackendRef, KlantenBackend, StoredKlant } from '../backend/klanten-backend.ts';
import { ApiError } from '../http/problem.ts';
import type { Claim, KlantnummerClaims } from './klantnummer-claims.ts';
import type { KlantnummerCounter } from './klantnummer-counter.ts';
import { storeCall } from './write-stores.ts';

/** Largest generated klantnummer: 8 digits (the OAS maxLength). */
export const MAX_GENERATED_KLANTNUMMER = 99_999_999;

export interface Kla001Options {
  /** How long a write with an explicit pair waits for another write's claim on it (default 5000 ms). */
  claimWaitMs?: number;
  /** Generated numbers tried per create before giving up (default 50). */
  maxAllocations?: number;
}

export function uniqueViolation(): ApiError {
  return ApiError.validation(
    [{ name: 'nonFieldErrors', code: 'unique', reason: 'De velden bronorganisatie, klantnummer moeten een unieke set zijn.' }],
    'Er bestaat al een klant met deze bronorganisatie en dit klantnummer.',
  );
}

/** The highest klantnummer of the given ones that is a number of at most 8 digits (0 when none is). */
export function highestNumeric(klantnummers: Iterable<string>): number {
  let max = 0;
  for (const k of klantnummers) {
    if (!/^[0-9]{1,8}$/.test(k)) continue;
    const n = Number(k);
    if (n > max) max = n;
  }
  return max;
}

export class Kla001 {
  private readonly backend: KlantenBackend;
  private readonly counter: KlantnummerCounter;
  private readonly claims: KlantnummerClaims;
  private readonly claimWaitMs: number;
  private readonly maxAllocations: number;

  constructor(backend: KlantenBackend, stores: { counter: KlantnummerCounter; claims: KlantnummerClaims }, opts: Kla001Options = {}) {
    this.backend = backend;
    this.counter = stores.counter;
    this.claims = stores.claims;
    this.claimWaitMs = opts.claimWaitMs ?? 5_000;
    this.maxAllocations = opts.maxAllocations ?? 50;
  }

  /**
   * Claims the pair for a write of `self` (undefined: a new klant) and checks that no other klant
   * holds it: 400 `unique` when one does, 409 when another write keeps it claimed too long.
   * The caller releases the claim once the backend has answered.
   */
  async reserve(bronorganisatie: string, klantnummer: string, self: BackendRef | undefined, requestId?: string): Promise<Claim> {
    const claim = await this.waitForClaim(bronorganisatie, klantnummer);
    try {
      if (await this.isTaken(bronorganisatie, klantnummer, self, requestId)) throw uniqueViolation();
      return claim;
    } catch (e) {
      await claim.release();
      throw e;
    }
  }

  /** A generated klantnummer, free in the backend and claimed for this create. */
  async allocate(bronorganisatie: string, requestId?: string): Promise<{ klantnummer: string; claim: Claim }> {
    let raised = false;
    for (let attempt = 0; attempt < this.maxAllocations; attempt++) {
      const n = await storeCall('Een klantnummer toekennen', () =>
        this.counter.next(bronorganisatie, () => this.highestInBackend(bronorganisatie, requestId)),
      );
      if (n > MAX_GENERATED_KLANTNUMMER) {
        throw ApiError.conflict(`De klantnummers van bronorganisatie ${bronorganisatie} zijn op; geef een klantnummer op.`);
      }
      const klantnummer = String(n);
      const claim = await storeCall('Een klantnummer toekennen', () => this.claims.tryClaim(bronorganisatie, klantnummer));
      if (!claim) continue; // someone writes a klant with this number right now
      let taken: boolean;
      try {
        taken = await this.isTaken(bronorganisatie, klantnummer, undefined, requestId);
      } catch (e) {
        await claim.release();
        throw e;
      }
      if (!taken) return { klantnummer, claim };
      await claim.release();
      if (!raised) {
        // Another system numbers klanten too: jump past the backend's highest number once.
        raised = true;
        const highest = await this.highestInBackend(bronorganisatie, requestId);
        await storeCall('Een klantnummer toekennen', () => this.counter.raise(bronorganisatie, highest));
      }
    }
    throw ApiError.conflict('Geen vrij klantnummer gevonden; probeer het opnieuw of geef een klantnummer op.');
  }

  /** Whether a klant other than `self` holds the pair. */
  async isTaken(bronorganisatie: string, klantnummer: string, self: BackendRef | undefined, requestId?: string): Promise<boolean> {
    const holders = await this.holders(bronorganisatie, klantnummer, requestId);
    return holders.some((h) => !self || h.ref.key !== self.key || h.ref.subjectType !== self.subjectType);
  }

  private holders(bronorganisatie: string, klantnummer: string, requestId?: string): Promise<StoredKlant[]> {
    return this.backend.list({ bronorganisatie, klantnummer }, { fields: ['klantnummer'], ...(requestId ? { requestId } : {}) });
  }

  private async highestInBackend(bronorganisatie: string, requestId?: string): Promise<number> {
    const all = await this.backend.list({ bronorganisatie }, { fields: ['klantnummer'], ...(requestId ? { requestId } : {}) });
    return highestNumeric(all.map((k) => k.data.klantnummer));
  }

  private async waitForClaim(bronorganisatie: string, klantnummer: string): Promise<Claim> {
    const deadline = performance.now() + this.claimWaitMs;
    for (let delay = 10; ; delay = Math.min(delay * 2, 200)) {
      const claim = await storeCall('Het klantnummer controleren', () => this.claims.tryClaim(bronorganisatie, klantnummer));
      if (claim) return claim;
      if (performance.now() + delay > deadline) {
        throw ApiError.conflict('Een andere wijziging met deze bronorganisatie en dit klantnummer is nog bezig; probeer het opnieuw.');
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
