// Public klant ids: UUID4-formatted, stable across restarts and instances, not revealing the
// backend key, and resolvable without shared state.
//
// Design (improves on DESIGN.md's "HMAC + reverse index in Redis"): when the backend key is short
// (≤ 27 digits or ≤ 12 bytes — every key we have seen in StUF-BG systems), the id is the key itself,
// packed with the subject type and check bits and encrypted with a keyed 122-bit permutation
// (feistel.ts). Decrypting gives the key back: no index, nothing to lose when Redis goes, nothing to
// rebuild. Longer keys fall back to HMAC(secret, type + key) and a reverse index (IdIndex), which a
// list scan repopulates.
import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import type { BackendRef } from '../backend/klanten-backend.ts';
import { SUBJECT_TYPES, type SubjectType } from '../domain/klant.ts';
import { permute, unpermute } from './feistel.ts';
import { bitsToUuid4, uuid4ToBits } from './uuid-bits.ts';

/** Reverse index for ids of keys too long to encode (shared store: Redis; or in-process). */
export interface IdIndex {
  get(id: string): Promise<BackendRef | undefined>;
  put(id: string, ref: BackendRef): Promise<void>;
}

export class MemoryIdIndex implements IdIndex {
  private readonly map = new Map<string, BackendRef>();
  async get(id: string): Promise<BackendRef | undefined> {
    return this.map.get(id);
  }
  async put(id: string, ref: BackendRef): Promise<void> {
    this.map.set(id, ref);
  }
}

const MAX_DIGITS = 27; // 10^27 < 2^90
const MAX_BYTES = 12;
const DIGITS_RE = /^[0-9]{1,27}$/;

function typeIndex(t: SubjectType): bigint {
  return BigInt(SUBJECT_TYPES.indexOf(t));
}

/** 122-bit plaintext: type(2) | mode(1) | payload | zero check bits. Undefined when the key does not fit. */
function pack(ref: BackendRef): bigint | undefined {
  const t = typeIndex(ref.subjectType) << 120n;
  if (DIGITS_RE.test(ref.key)) {
    // mode 0: length(5) | value(90) | check(24)
    return t | (BigInt(ref.key.length) << 114n) | (BigInt(ref.key) << 24n);
  }
  const bytes = Buffer.from(ref.key, 'utf8');
  if (bytes.length > MAX_BYTES) return undefined;
  // mode 1: length(4) | bytes(96) | check(19)
  let v = 0n;
  for (let i = 0; i < MAX_BYTES; i++) v = (v << 8n) | BigInt(bytes[i] ?? 0);
  return t | (1n << 119n) | (BigInt(bytes.length) << 115n) | (v << 19n);
}

function unpack(bits: bigint): BackendRef | undefined {
  const ti = Number(bits >> 120n);
  const subjectType = SUBJECT_TYPES[ti];
  if (!subjectType) return undefined;
  if (((bits >> 119n) & 1n) === 0n) {
    if ((bits & ((1n << 24n) - 1n)) !== 0n) return undefined;
    const len = Number((bits >> 114n) & 0x1fn);
    const value = (bits >> 24n) & ((1n << 90n) - 1n);
    const key = value.toString().padStart(len, '0');
    if (len < 1 || len > MAX_DIGITS || key.length !== len) return undefined;
    return { subjectType, key };
  }
  if ((bits & ((1n << 19n) - 1n)) !== 0n) return undefined;
  const len = Number((bits >> 115n) & 0xfn);
  if (len > MAX_BYTES) return undefined;
  let v = (bits >> 19n) & ((1n << 96n) - 1n);
  const bytes = Buffer.alloc(MAX_BYTES);
  for (let i = MAX_BYTES - 1; i >= 0; i--) {
    bytes[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  if (bytes.subarray(len).some((b) => b !== 0)) return undefined;
  const key = bytes.subarray(0, len).toString('utf8');
  if (DIGITS_RE.test(key) || Buffer.byteLength(key) !== len) return undefined; // not canonical
  return { subjectType, key };
}

export class KlantIdentity {
  private readonly key: KeyObject;
  private readonly index: IdIndex;
  private readonly cache = new Map<string, string>();

  constructor(secret: string | Buffer, index: IdIndex = new MemoryIdIndex()) {
    if (Buffer.byteLength(secret) < 16) throw new Error('identity secret must be at least 16 bytes');
    this.key = createSecretKey(typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret);
    this.index = index;
  }

  /** The public id of a backend object; records fallback ids in the index. */
  async idFor(ref: BackendRef): Promise<string> {
    const cacheKey = `${ref.subjectType}\u0000${ref.key}`;
    const hit = this.cache.get(cacheKey);
    if (hit) return hit;
    const packed = pack(ref);
    let id: string;
    if (packed !== undefined) {
      id = bitsToUuid4(permute(this.key, packed));
    } else {
      const digest = createHmac('sha256', this.key).update(cacheKey).digest();
      id = bitsToUuid4(BigInt(`0x${digest.subarray(0, 16).toString('hex')}`) >> 6n);
      await this.index.put(id, ref);
    }
    // Bounded memo: ids are pure functions of (secret, ref), so dropping entries is always safe.
    if (this.cache.size >= 50_000) this.cache.clear();
    this.cache.set(cacheKey, id);
    return id;
  }

  /** Backend reference for a public id, or undefined (malformed, forged, or an unindexed long key). */
  async resolve(id: string): Promise<BackendRef | undefined> {
    const bits = uuid4ToBits(id);
    if (bits === undefined) return undefined;
    const ref = unpack(unpermute(this.key, bits));
    if (ref) return ref;
    return this.index.get(id);
  }
}
