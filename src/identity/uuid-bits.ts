// Version-4 UUID text ↔ its 122 free bits (the 6 fixed bits are the version nibble and the variant).
export const UUID4_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export function bitsToUuid4(bits: bigint): string {
  // Layout (128 bits): 48 free | 4 version | 12 free | 2 variant | 62 free.
  const a = (bits >> 74n) & ((1n << 48n) - 1n);
  const b = (bits >> 62n) & 0xfffn;
  const c = bits & ((1n << 62n) - 1n);
  const full = (a << 80n) | (0x4n << 76n) | (b << 64n) | (0x2n << 62n) | c;
  const hex = full.toString(16).padStart(32, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The 122 free bits of a lower-case UUID4 string; undefined when it is not one. */
export function uuid4ToBits(uuid: string): bigint | undefined {
  if (!UUID4_RE.test(uuid)) return undefined;
  const full = BigInt(`0x${uuid.replaceAll('-', '')}`);
  const a = full >> 80n;
  const b = (full >> 64n) & 0xfffn;
  const c = full & ((1n << 62n) - 1n);
  return (a << 74n) | (b << 62n) | c;
}
