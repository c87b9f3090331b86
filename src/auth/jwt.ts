// The JWT-ZGW wire format: compact JWS, HS256 only. Only what klantbrug needs, on node:crypto.
import { createHmac, createSecretKey, timingSafeEqual } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

export interface DecodedJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  /** `<header>.<payload>` exactly as received: what the signature covers. */
  signingInput: string;
  signature: string;
}

const B64URL = /^[A-Za-z0-9_-]*$/;

/** Splits and decodes a compact JWS; null when it is not one (wrong shape, bad base64url, not JSON objects). */
export function decodeJwt(token: string): DecodedJwt | null {
  const first = token.indexOf('.');
  const second = token.indexOf('.', first + 1);
  if (first <= 0 || second <= first + 1 || token.indexOf('.', second + 1) !== -1) return null;
  const h = token.slice(0, first);
  const p = token.slice(first + 1, second);
  const signature = token.slice(second + 1);
  if (!B64URL.test(h) || !B64URL.test(p) || !B64URL.test(signature)) return null;
  const header = decodeJson(h);
  const payload = decodeJson(p);
  if (header === null || payload === null) return null;
  return { header, payload, signingInput: token.slice(0, second), signature };
}

function decodeJson(part: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Builds the HMAC key once; reuse it for every token of that client. */
export function hmacKey(secret: string): KeyObject {
  return createSecretKey(Buffer.from(secret, 'utf8'));
}

export function hs256(key: KeyObject, signingInput: string): string {
  return createHmac('sha256', key).update(signingInput).digest('base64url');
}

/**
 * Constant-time check of the signature part. Comparing the canonical base64url text (not decoded
 * bytes) also refuses non-canonical encodings of a valid signature.
 */
export function signatureMatches(key: KeyObject, jwt: DecodedJwt): boolean {
  const expected = Buffer.from(hs256(key, jwt.signingInput), 'ascii');
  const given = Buffer.from(jwt.signature, 'ascii');
  return expected.length === given.length && timingSafeEqual(expected, given);
}

const b64json = (value: unknown): string => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/**
 * A JWT-ZGW token for `clientId` signed with `secret` (HS256). `iss`, `client_id`, `iat` (now),
 * `user_id` and `user_representation` ('') are filled in; `claims` may override or add any of them.
 */
export function signToken(clientId: string, secret: string, claims: Record<string, unknown> = {}): string {
  const header = { alg: 'HS256', typ: 'JWT' };
  const payload = {
    iss: clientId,
    iat: Math.floor(Date.now() / 1000),
    client_id: clientId,
    user_id: '',
    user_representation: '',
    ...claims,
  };
  const signingInput = `${b64json(header)}.${b64json(payload)}`;
  return `${signingInput}.${hs256(hmacKey(secret), signingInput)}`;
}
