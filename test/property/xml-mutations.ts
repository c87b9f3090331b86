// Random damage to a valid StUF answer, at the byte level: cut, duplicate, insert markup and entity
// references, invalid UTF-8, rebind namespaces, huge text, deep nesting. Positions snap to markup
// boundaries ('<', '>', '"', ' ') so most edits land where a parser makes decisions.
import fc from 'fast-check';

export type Mutation =
  | { kind: 'delete'; at: number; len: number }
  | { kind: 'duplicate'; at: number; len: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'bytes'; at: number; bytes: number[] }
  | { kind: 'namespace'; which: number; uri: string }
  | { kind: 'hugeText'; at: number; size: number }
  | { kind: 'nest'; at: number; depth: number }
  | { kind: 'rename'; at: number; char: string };

const SNIPPETS = [
  '<', '>', '&', '&amp;', '&lt;', '&#0;', '&#x1F;', '&#xD800;', '&#1114112;', '&nbsp;', '&xxe;', '&lol9;',
  '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', '<!doctype x>', '<!ENTITY a "b">',
  '<!-- c -->', '<!--', '<![CDATA[x]]>', '<![CDATA[', ']]>', '<?pi x?>', '<?xml version="1.0"?>',
  '</BG:object>', '<BG:object>', '<StUF:noValue>geenWaarde</StUF:noValue>', '<x/>', '</x>', '<x:y/>',
  'xmlns:BG="urn:wrong"', 'xmlns="urn:wrong"', ' StUF:sleutelVerzendend="X"', ' xsi:nil="true"', ' StUF:noValue="waardeOnbekend"',
  '"', "'", '=', ' ', '\u0000', '\u0001', '\uFFFE', '\uFFFF', '\uD800', '\u00e9', '\u202E', '😀', '\r\n', '\t',
  '<StUF:indicatorVervolgvraag>true</StUF:indicatorVervolgvraag>', '<StUF:indicatorVervolgvraag>misschien</StUF:indicatorVervolgvraag>',
  '<BG:antwoord><BG:object StUF:entiteittype="NPS"/></BG:antwoord>', '<StUF:Fo02Bericht/>',
  '<soap:Fault><faultcode>soap:Server</faultcode><faultstring>x</faultstring></soap:Fault>',
];

/** Invalid UTF-8: stray continuation bytes, truncated sequences, overlong forms, surrogates, FE/FF. */
const INVALID_UTF8: number[][] = [[0x80], [0xbf], [0xc3], [0xc3, 0x28], [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0xfe], [0xff], [0xf8, 0x88, 0x80, 0x80, 0x80]];

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 300 }) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 400 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...SNIPPETS), fc.string({ unit: 'binary', maxLength: 20 })) }),
  fc.record({ kind: fc.constant('bytes' as const), at: fc.nat(), bytes: fc.oneof(fc.constantFrom(...INVALID_UTF8), fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 6 })) }),
  fc.record({ kind: fc.constant('namespace' as const), which: fc.nat(), uri: fc.oneof(fc.constantFrom('', 'urn:wrong', 'http://www.egem.nl/StUF/sector/bg/0204', 'http://www.egem.nl/StUF/StUF0301', 'http://www.egem.nl/StUF/sector/bg/0310', 'http://schemas.xmlsoap.org/soap/envelope/', 'http://www.w3.org/2003/05/soap-envelope'), fc.webUrl()) }),
  fc.record({ kind: fc.constant('hugeText' as const), at: fc.nat(), size: fc.constantFrom(1_000, 60_000, 1_100_000) }),
  fc.record({ kind: fc.constant('nest' as const), at: fc.nat(), depth: fc.oneof(fc.integer({ min: 1, max: 80 }), fc.constantFrom(500, 20_000)) }),
  fc.record({ kind: fc.constant('rename' as const), at: fc.nat(), char: fc.constantFrom('x', ':', '-', '1', ' ', 'é', '') }),
);

export const mutationsArb: fc.Arbitrary<Mutation[]> = fc.array(mutationArb, { minLength: 1, maxLength: 4 });

function boundaries(buf: Buffer): number[] {
  const out: number[] = [];
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i];
    if (b === 0x3c || b === 0x3e || b === 0x22 || b === 0x20) out.push(i);
  }
  return out.length > 0 ? out : [0];
}

const pick = (positions: number[], n: number): number => positions[n % positions.length] ?? 0;

export function applyMutation(buf: Buffer, m: Mutation): Buffer {
  const pos = boundaries(buf);
  switch (m.kind) {
    case 'delete': {
      const at = pick(pos, m.at);
      return Buffer.concat([buf.subarray(0, at), buf.subarray(Math.min(buf.length, at + m.len))]);
    }
    case 'duplicate': {
      const at = pick(pos, m.at);
      return Buffer.concat([buf.subarray(0, at), buf.subarray(at, at + m.len), buf.subarray(at)]);
    }
    case 'insert': {
      const at = pick(pos, m.at);
      return Buffer.concat([buf.subarray(0, at), Buffer.from(m.text, 'utf8'), buf.subarray(at)]);
    }
    case 'bytes': {
      // Inside text: right after a '>'.
      const gts = pos.filter((i) => buf[i] === 0x3e);
      const at = pick(gts, m.at) + 1;
      return Buffer.concat([buf.subarray(0, at), Buffer.from(m.bytes), buf.subarray(at)]);
    }
    case 'namespace': {
      const text = buf.toString('latin1');
      const decls = [...text.matchAll(/xmlns(?::[\w.-]+)?="([^"]*)"/g)];
      const d = decls[m.which % Math.max(1, decls.length)];
      if (!d || d.index === undefined) return buf;
      const start = d.index + d[0].indexOf('"') + 1;
      return Buffer.concat([buf.subarray(0, start), Buffer.from(m.uri.replaceAll('"', '%22'), 'utf8'), buf.subarray(start + (d[1] ?? '').length)]);
    }
    case 'hugeText': {
      const gts = pos.filter((i) => buf[i] === 0x3e);
      const at = pick(gts, m.at) + 1;
      return Buffer.concat([buf.subarray(0, at), Buffer.alloc(m.size, 0x41), buf.subarray(at)]);
    }
    case 'nest': {
      const gts = pos.filter((i) => buf[i] === 0x3e);
      const at = pick(gts, m.at) + 1;
      return Buffer.concat([buf.subarray(0, at), Buffer.from('<a>'.repeat(m.depth) + '</a>'.repeat(m.depth)), buf.subarray(at)]);
    }
    case 'rename': {
      const lts = pos.filter((i) => buf[i] === 0x3c);
      const at = pick(lts, m.at) + 2;
      if (at >= buf.length) return buf;
      return Buffer.concat([buf.subarray(0, at), Buffer.from(m.char, 'utf8'), buf.subarray(at + 1)]);
    }
  }
}

/** Applies the mutations in order, the size-changing ones (huge text, nesting) last: cheaper to scan. */
export function mutate(buf: Buffer, ms: readonly Mutation[]): Buffer {
  const big = (m: Mutation) => m.kind === 'hugeText' || m.kind === 'nest';
  return [...ms.filter((m) => !big(m)), ...ms.filter(big)].reduce(applyMutation, buf);
}

/** A mutation for reports: huge inserts shown by size. */
export function describeMutations(ms: readonly Mutation[]): string {
  return JSON.stringify(ms).slice(0, 400);
}
