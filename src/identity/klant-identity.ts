// Public klant ids: UUID4-formatted, stable across restarts and instances, not revealing the
// backend key, and resolvable without shared state.
//
// Design (improves on DESIGN.md's "HMAC + reverse index in Redis"): when the backend key is short
// (≤ 27 digits, ≤ 18 upper-case alphanumerics, ≤ 16 alphanumerics or ≤ 12 bytes — the keys we
// have seen in StUF-BG systems), the id is the key itself,
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

// Plaintext layout (122 bits): type(2) | mode(2) | length(4-5) | payload(90-96) | zero check bits.
// A random or forged id decrypts to random bits, which fail the check with probability 1 - 2^-17.
const MODE_DIGITS = 0n; // 1..27 decimal digits (leading zeros kept by the length)
const MODE_BYTES = 1n; // 0..12 UTF-8 bytes
const MODE_UPPER = 2n; // 1..18 characters of [0-9A-Z-_.:] (typical "NPS0000000042" keys)
const MODE_WORD = 3n; // 1..16 characters of [0-9A-Za-z-_]

const UPPER_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-_.:';
const WORD_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_';
const DIGITS_RE = /^[0-9]{1,27}$/;
const UPPER_RE = /^[0-9A-Z\-_.:]{1,18}$/;
const WORD_RE = /^[0-9A-Za-z\-_]{1,16}$/;
const MAX_BYTES = 12;

interface Layout {
  lenBits: bigint;
  payloadBits: bigint;
}
const LAYOUT: Record<string, Layout> = {
  [String(MODE_DIGITS)]: { lenBits: 5n, payloadBits: 90n },
  [String(MODE_BYTES)]: { lenBits: 4n, payloadBits: 96n },
  [String(MODE_UPPER)]: { lenBits: 5n, payloadBits: 96n },
  [String(MODE_WORD)]: { lenBits: 5n, payloadBits: 96n },
};

function typeIndex(t: SubjectType): bigint {
  return BigInt(SUBJECT_TYPES.indexOf(t));
}

function compose(type: bigint, mode: bigint, len: number, payload: bigint): bigint {
  const l = LAYOUT[String(mode)]!;
  const checkBits = 118n - l.lenBits - l.payloadBits;
  return (type << 120n) | (mode << 118n) | (BigInt(len) << (118n - l.lenBits)) | (payload << checkBits);
}

function encodeAlphabet(text: string, alphabet: string): bigint {
  let v = 0n;
  const base = BigInt(alphabet.length);
  for (const ch of text) v = v * base + BigInt(alphabet.indexOf(ch));
  return v;
}

function decodeAlphabet(value: bigint, len: number, alphabet: string): string | undefined {
  const base = BigInt(alphabet.length);
  const out: string[] = [];
  for (let i = 0; i < len; i++) {
    out.push(alphabet[Number(value % base)]!);
    value /= base;
  }
  return value === 0n ? out.reverse().join('') : undefined;
}

/** The packed plaintext, or undefined when the key fits no mode (→ HMAC id + index). */
function pack(ref: BackendRef): bigint | undefined {
  const t = typeIndex(ref.subjectType);
  const key = ref.key;
  if (DIGITS_RE.test(key)) return compose(t, MODE_DIGITS, key.length, BigInt(key));
  if (UPPER_RE.test(key)) return compose(t, MODE_UPPER, key.length, encodeAlphabet(key, UPPER_ALPHABET));
  if (WORD_RE.test(key)) return compose(t, MODE_WORD, key.length, encodeAlphabet(key, WORD_ALPHABET));
  const bytes = Buffer.from(key, 'utf8');
  if (bytes.length > MAX_BYTES) return undefined;
  let v = 0n;
  for (let i = 0; i < MAX_BYTES; i++) v = (v << 8n) | BigInt(bytes[i] ?? 0);
  return compose(t, MODE_BYTES, bytes.length, v);
}

function unpack(bits: bigint): BackendRef | undefined {
  const subjectType = SUBJECT_TYPES[Number(bits >> 120n)];
  if (!subjectType) return undefined;
  const mode = (bits >> 118n) & 3n;
  const l = LAYOUT[String(mode)]!;
  const checkBits = 118n - l.lenBits - l.payloadBits;
  if ((bits & ((1n << checkBits) - 1n)) !== 0n) return undefined;
  const len = Number((bits >> (118n - l.lenBits)) & ((1n << l.lenBits) - 1n));
  const payload = (bits >> checkBits) & ((1n << l.payloadBits) - 1n);
  const key = decodeKey(mode, len, payload);
  // Only the canonical encoding of a key is valid, so every key has exactly one id.
  if (key === undefined || pack({ subjectType, key }) !== bits) return undefined;
  return { subjectType, key };
}

function decodeKey(mode: bigint, len: number, payload: bigint): string | undefined {
  if (mode === MODE_DIGITS) return len >= 1 ? payload.toString().padStart(len, '0') : undefined;
  if (mode === MODE_UPPER) return len >= 1 ? decodeAlphabet(payload, len, UPPER_ALPHABET) : undefined;
  if (mode === MODE_WORD) return len >= 1 ? decodeAlphabet(payload, len, WORD_ALPHABET) : undefined;
  if (len > MAX_BYTES) return undefined;
  const bytes = Buffer.alloc(MAX_BYTES);
  let v = payload;
  for (let i = MAX_BYTES - 1; i >= 0; i--) {
    bytes[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  if (bytes.subarray(len).some((b) => b !== 0)) return undefined;
  return bytes.subarray(0, len).toString('utf8');
}

export class KlantIdentity {
  private readonly key: KeyObject;
  private readonly index: IdIndex;
  private readonly cache = new Map<string, string>();
  /**
   * id → ref for ids that decrypt to a ref (and for every packable id minted here): the 4-round
   * Feistel (4 HMACs plus BigInt work) cost ~80 µs of the gateway's ~1 ms CPU per uncached
   * klant_read (measured in the running gateway, bench/read.ts load), and clients read the ids a
   * list just handed out. Bounded like `cache`; refs are pure functions of (secret, id).
   */
  private readonly resolved = new Map<string, BackendRef>();

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
      // What resolve(id) will answer (unpack of the same bits), without decrypting again.
      const back = unpack(packed);
      if (back) this.rememberResolved(id, back);
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
    const known = this.resolved.get(id);
    if (known !== undefined) return { subjectType: known.subjectType, key: known.key };
    const bits = uuid4ToBits(id);
    if (bits === undefined) return undefined;
    const ref = unpack(unpermute(this.key, bits));
    if (ref) {
      this.rememberResolved(id, ref);
      return ref;
    }
    return this.index.get(id);
  }

  /** Only ids the permutation decodes: index ids always ask the (shared) index. */
  private rememberResolved(id: string, ref: BackendRef): void {
    if (this.resolved.size >= 50_000) this.resolved.clear();
    this.resolved.set(id, { subjectType: ref.subjectType, key: ref.key });
  }
}
