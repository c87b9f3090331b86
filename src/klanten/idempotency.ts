// Idempotency-Key on klant_create (an extension; draft-ietf-httpapi-idempotency-key-header):
// a retried POST with the same key from the same client gets the first answer again (status,
// Location, body) and creates one klant.
//   - the same key with a different body → 422 (the draft's choice for a reused key);
//   - the same key while the first request still runs → 409;
//   - only a successful (2xx) answer is kept, for 24 h; after any failure the key is free again,
//     so a retry runs the create anew (a failed create created nothing, or — after a timeout — the
//     kla-001 check stops a retry that sends the same klantnummer from creating a second klant).
// The body is compared by a SHA-256 of its canonical JSON (object keys sorted), so a retry that
// serialises the same object differently is the same request.
import { createHash, randomUUID } from 'node:crypto';
import { ApiError } from '../http/problem.ts';
import type { IdempotencyRecord, IdempotencyStore, StoredResponse } from './idempotency-store.ts';
import { storeCall } from './write-stores.ts';

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** How long a `pending` record blocks the key: past any create's own timeouts. */
export const IDEMPOTENCY_PENDING_TTL_MS = 2 * 60 * 1000;

const KEY_RE = /^[\x21-\x7e]{1,255}$/;

/**
 * The key from the Idempotency-Key header (an sf-string: `"..."`; a bare token is accepted too);
 * undefined when absent. A malformed key is a 400.
 */
export function parseIdempotencyKey(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  const raw = (Array.isArray(header) ? header.join(',') : header).trim();
  const unquoted = raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw;
  if (!KEY_RE.test(unquoted) || unquoted.includes('"')) {
    throw ApiError.badRequest('invalid', 'Ongeldige Idempotency-Key: 1 tot 255 zichtbare ASCII-tekens.', [
      { name: 'Idempotency-Key', code: 'invalid', reason: 'Gebruik 1 tot 255 zichtbare ASCII-tekens, bij voorkeur een UUID.' },
    ]);
  }
  return unquoted;
}

/** JSON with object keys sorted, so equal values serialise equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('base64url');

export interface IdempotentResult extends StoredResponse {
  /** True when this is the stored answer of an earlier request. */
  replayed: boolean;
}

export class IdempotentCreates {
  private readonly store: IdempotencyStore;
  private readonly ttlMs: number;
  private readonly pendingTtlMs: number;

  constructor(store: IdempotencyStore, opts: { ttlMs?: number; pendingTtlMs?: number } = {}) {
    this.store = store;
    this.ttlMs = opts.ttlMs ?? IDEMPOTENCY_TTL_MS;
    this.pendingTtlMs = opts.pendingTtlMs ?? IDEMPOTENCY_PENDING_TTL_MS;
  }

  /** Runs `create` once per (client, key); a repeat gets the stored answer. */
  async run(clientId: string, key: string, body: unknown, create: () => Promise<StoredResponse>): Promise<IdempotentResult> {
    // Keys are per client: one client's key never reaches another client's answer.
    const storeKey = sha256(`${clientId}\n${key}`);
    const fingerprint = sha256(canonicalJson(body));
    const pending: IdempotencyRecord & { state: 'pending' } = { state: 'pending', fingerprint, token: randomUUID() };
    const existing = await storeCall('Een verzoek met Idempotency-Key', () => this.store.begin(storeKey, pending, this.pendingTtlMs));
    if (existing) return replay(existing, fingerprint);

    let response: StoredResponse;
    try {
      response = await create();
    } catch (e) {
      await this.store.abandon(storeKey, pending).catch(() => undefined);
      throw e;
    }
    if (response.status >= 200 && response.status < 300) {
      // The klant exists now: a store failure here must not turn the success into an error.
      await this.store.complete(storeKey, { state: 'done', fingerprint, response }, this.ttlMs).catch(() => undefined);
    } else {
      await this.store.abandon(storeKey, pending).catch(() => undefined);
    }
    return { ...response, replayed: false };
  }
}

function replay(existing: IdempotencyRecord, fingerprint: string): IdempotentResult {
  if (existing.fingerprint !== fingerprint) {
    throw new ApiError({
      status: 422,
      code: 'idempotency_key_reused',
      title: 'Idempotency-Key hergebruikt.',
      detail: 'Deze Idempotency-Key is eerder gebruikt voor een verzoek met een andere body.',
    });
  }
  if (existing.state === 'pending') {
    throw ApiError.conflict('Een verzoek met deze Idempotency-Key wordt nog verwerkt; probeer het zo opnieuw.');
  }
  return { ...existing.response, replayed: true };
}
