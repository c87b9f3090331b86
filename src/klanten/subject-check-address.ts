// SSRF guard of the kla-002 subject check: what kind of address an IP is.
//
// - 'internal': never a subject host unless subjectCheck.allowPrivate — loopback, link-local
//   (which holds the cloud metadata service 169.254.169.254), the AWS IPv6 metadata address
//   fd00:ec2::254, unspecified, multicast, broadcast and reserved/documentation ranges.
// - 'private': RFC 1918, carrier-grade NAT, IPv6 unique-local and site-local. Refused unless
//   allowPrivate, or the host was named in subjectCheck.allowHosts (a municipality's BRP API on
//   its own network is a legitimate subject; the operator vouches for the hosts it lists).
// - 'public': everything else.
// IPv6 forms that carry an IPv4 address (IPv4-mapped ::ffff:a.b.c.d, IPv4-compatible ::a.b.c.d,
// NAT64 64:ff9b::/96, 6to4 2002::/16) are judged by the IPv4 address they reach.
import { BlockList, isIPv4, isIPv6 } from 'node:net';

export type AddressKind = 'public' | 'private' | 'internal';

function blockList(v4: readonly string[], v6: readonly string[]): BlockList {
  const list = new BlockList();
  for (const cidr of v4) addSubnet(list, cidr, 'ipv4');
  for (const cidr of v6) addSubnet(list, cidr, 'ipv6');
  return list;
}

function addSubnet(list: BlockList, cidr: string, type: 'ipv4' | 'ipv6'): void {
  const [address, bits] = cidr.split('/');
  list.addSubnet(address ?? '', Number(bits), type);
}

const INTERNAL = blockList(
  [
    '0.0.0.0/8', // "this network", unspecified
    '127.0.0.0/8', // loopback
    '169.254.0.0/16', // link-local, cloud metadata 169.254.169.254
    '192.0.0.0/24', // IETF protocol assignments
    '192.0.2.0/24', // TEST-NET-1
    '198.18.0.0/15', // benchmarking
    '198.51.100.0/24', // TEST-NET-2
    '203.0.113.0/24', // TEST-NET-3
    '224.0.0.0/4', // multicast
    '240.0.0.0/4', // reserved, broadcast 255.255.255.255
  ],
  [
    '::/128', // unspecified
    '::1/128', // loopback
    'fd00:ec2::254/128', // AWS metadata (inside the unique-local range below)
    'fe80::/10', // link-local
    'ff00::/8', // multicast
    '100::/64', // discard-only
    '2001:db8::/32', // documentation
  ],
);

const PRIVATE = blockList(
  ['10.0.0.0/8', '100.64.0.0/10', '172.16.0.0/12', '192.168.0.0/16'],
  ['fc00::/7', 'fec0::/10'],
);

/** The IPv4 address an IPv6 address embeds (mapped, compatible, NAT64, 6to4), if any. */
export function embeddedIPv4(address: string): string | undefined {
  const words = ipv6Words(address);
  if (!words) return undefined;
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  const zeroUpTo = (n: number) => words.slice(0, n).every((w) => w === 0);
  if (zeroUpTo(5) && words[5] === 0xffff) return v4(words[6]!, words[7]!); // ::ffff:a.b.c.d
  if (zeroUpTo(6) && (words[6] !== 0 || words[7]! > 1)) return v4(words[6]!, words[7]!); // ::a.b.c.d
  if (words[0] === 0x64 && words[1] === 0xff9b && words.slice(2, 6).every((w) => w === 0)) return v4(words[6]!, words[7]!);
  if (words[0] === 0x2002) return v4(words[1]!, words[2]!);
  return undefined;
}

/** Eight 16-bit words of an IPv6 address (zone id dropped), or undefined if it is none. */
function ipv6Words(address: string): number[] | undefined {
  const plain = address.replace(/%.*$/, '');
  if (!isIPv6(plain)) return undefined;
  let text = plain.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const o = dotted[1]!.split('.').map(Number);
    text = text.slice(0, dotted.index) + `${((o[0]! << 8) | o[1]!).toString(16)}:${((o[2]! << 8) | o[3]!).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const parse = (s: string | undefined) => (s ? s.split(':').map((w) => parseInt(w, 16)) : []);
  const h = parse(head);
  const t = parse(tail);
  const fill = tail === undefined ? [] : new Array<number>(8 - h.length - t.length).fill(0);
  const words = [...h, ...fill, ...t];
  return words.length === 8 ? words : undefined;
}

export function classifyAddress(address: string): AddressKind {
  if (isIPv4(address)) {
    if (INTERNAL.check(address, 'ipv4')) return 'internal';
    return PRIVATE.check(address, 'ipv4') ? 'private' : 'public';
  }
  const plain = address.replace(/%.*$/, '');
  if (!isIPv6(plain)) return 'internal'; // not an IP at all: never connect to it
  if (INTERNAL.check(plain, 'ipv6')) return 'internal';
  const v4 = embeddedIPv4(plain);
  if (v4 !== undefined) return classifyAddress(v4);
  return PRIVATE.check(plain, 'ipv6') ? 'private' : 'public';
}
