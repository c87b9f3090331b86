// A keyed pseudo-random permutation on 122-bit integers (the free bits of a version-4 UUID):
// a balanced Feistel network over two 61-bit halves with HMAC-SHA256 as round function.
// Four rounds of a secure PRF give a strong pseudo-random permutation (Luby–Rackoff), so ids
// neither reveal nor allow forging the value they encode without the secret.
import { createHmac, type KeyObject } from 'node:crypto';

const HALF_BITS = 61n;
const HALF_MASK = (1n << HALF_BITS) - 1n;
const ROUNDS = 4;

function roundFn(key: KeyObject, round: number, half: bigint): bigint {
  const h = createHmac('sha256', key);
  const buf = Buffer.allocUnsafe(9);
  buf.writeUInt8(round, 0);
  buf.writeBigUInt64BE(half, 1);
  const digest = h.update(buf).digest();
  return digest.readBigUInt64BE(0) & HALF_MASK;
}

export function permute(key: KeyObject, value: bigint): bigint {
  let left = value >> HALF_BITS;
  let right = value & HALF_MASK;
  for (let r = 0; r < ROUNDS; r++) {
    const next = left ^ roundFn(key, r, right);
    left = right;
    right = next;
  }
  return (left << HALF_BITS) | right;
}

export function unpermute(key: KeyObject, value: bigint): bigint {
  let left = value >> HALF_BITS;
  let right = value & HALF_MASK;
  for (let r = ROUNDS - 1; r >= 0; r--) {
    const prev = right ^ roundFn(key, r, left);
    right = left;
    left = prev;
  }
  return (left << HALF_BITS) | right;
}
