// The pure half of the upstream proxy: where a route's upstream lives, and URL rewriting between
// the upstream's own form and the gateway's public (absolute or relative) form, by table.
import { describe, expect, it } from 'vitest';
import {
  forwardedPrefixFor,
  isSafeUpstreamPath,
  linkMapsFor,
  nonJsonUpstreamError,
  parseUpstreamTarget,
  proxyErrorToApiError,
  rewriteLocation,
  rewriteQuery,
  rewriteUrl,
  upstreamPath,
  UpstreamTimeoutError,
} from '../../../src/proxy/index.ts';
import type { PublicBase } from '../../../src/representation/links.ts';

const CM = parseUpstreamTarget('/cmc/api/v1', 'http://CM.internal:8000/contactmomenten/api/v1/');
const VRZ = parseUpstreamTarget('/verzoeken/api/v1', 'https://vrz.internal:443/verzoeken/api/v1');
const ROOT = parseUpstreamTarget('/', 'http://root.internal');
const BASE: PublicBase = { origin: 'https://gw.example.nl', prefix: '/ext' };

describe('parseUpstreamTarget', () => {
  it('normalises origin (case, default port) and path (no trailing slash)', () => {
    expect(CM).toEqual({
      prefix: '/cmc/api/v1',
      origin: 'http://cm.internal:8000',
      path: '/contactmomenten/api/v1',
      base: 'http://cm.internal:8000/contactmomenten/api/v1',
    });
    expect(VRZ.origin).toBe('https://vrz.internal');
    expect(ROOT).toMatchObject({ prefix: '/', path: '', base: 'http://root.internal' });
  });

  it.each(['ftp://x/y', 'http://u:p@x/y', 'http://x/y?q=1', 'http://x/y#f', 'niet een url'])('refuses %s', (t) => {
    expect(() => parseUpstreamTarget('/p', t)).toThrow();
  });
});

describe('linkMapsFor: upstream → client', () => {
  const abs = linkMapsFor(BASE, 'absolute', [CM, VRZ]).toClient;
  const rel = linkMapsFor(BASE, 'relative', [CM, VRZ]).toClient;
  const cases: [string, string, string, string][] = [
    // value, absolute, relative
    ['own resource', `${CM.base}/contactmomenten/1`, 'https://gw.example.nl/ext/cmc/api/v1/contactmomenten/1', '/ext/cmc/api/v1/contactmomenten/1'],
    ['API root itself', CM.base, 'https://gw.example.nl/ext/cmc/api/v1', '/ext/cmc/api/v1'],
    ['query kept', `${CM.base}/klantcontactmomenten?page=2&x=a%2Fb`, 'https://gw.example.nl/ext/cmc/api/v1/klantcontactmomenten?page=2&x=a%2Fb', '/ext/cmc/api/v1/klantcontactmomenten?page=2&x=a%2Fb'],
    ['another upstream', `${VRZ.base}/verzoeken/9`, 'https://gw.example.nl/ext/verzoeken/api/v1/verzoeken/9', '/ext/verzoeken/api/v1/verzoeken/9'],
    ['not at a segment boundary', `${CM.base}0/x`, `${CM.base}0/x`, `${CM.base}0/x`],
    ['another host', 'https://elders.example/contactmomenten/api/v1/x', 'https://elders.example/contactmomenten/api/v1/x', 'https://elders.example/contactmomenten/api/v1/x'],
    ['the base in the middle of a text', `zie ${CM.base}/x`, `zie ${CM.base}/x`, `zie ${CM.base}/x`],
    ['a native klant (public, absolute)', 'https://gw.example.nl/ext/api/v1/klanten/k1', 'https://gw.example.nl/ext/api/v1/klanten/k1', '/ext/api/v1/klanten/k1'],
    ['a public route URL', 'https://gw.example.nl/ext/cmc/api/v1/x', 'https://gw.example.nl/ext/cmc/api/v1/x', '/ext/cmc/api/v1/x'],
    ['a native klant of another host', 'https://ander.example/api/v1/klanten/k1', 'https://ander.example/api/v1/klanten/k1', 'https://ander.example/api/v1/klanten/k1'],
  ];
  it.each(cases)('%s', (_name, value, absolute, relative) => {
    expect(rewriteUrl(value, abs)).toBe(absolute);
    expect(rewriteUrl(value, rel)).toBe(relative);
  });

  it('a root route maps the whole upstream', () => {
    const m = linkMapsFor({ origin: 'http://gw', prefix: '' }, 'relative', [ROOT]).toClient;
    expect(rewriteUrl('http://root.internal/a/b', m)).toBe('/a/b');
    expect(rewriteUrl('http://root.internal', m)).toBe('/');
  });

  it('the longest base wins', () => {
    const outer = parseUpstreamTarget('/a', 'http://up/api');
    const inner = parseUpstreamTarget('/b', 'http://up/api/inner');
    const m = linkMapsFor({ origin: 'http://gw', prefix: '' }, 'absolute', [outer, inner]).toClient;
    expect(rewriteUrl('http://up/api/inner/x', m)).toBe('http://gw/b/x');
    expect(rewriteUrl('http://up/api/other', m)).toBe('http://gw/a/other');
  });
});

describe('linkMapsFor: client → upstream', () => {
  const m = linkMapsFor(BASE, 'absolute', [CM, VRZ]).toUpstream;
  it.each([
    ['public absolute', 'https://gw.example.nl/ext/cmc/api/v1/contactmomenten/1', `${CM.base}/contactmomenten/1`],
    ['public relative', '/ext/verzoeken/api/v1/verzoeken/2', `${VRZ.base}/verzoeken/2`],
    ['relative native klant → absolute public', '/ext/api/v1/klanten/k1', 'https://gw.example.nl/ext/api/v1/klanten/k1'],
    ['absolute native klant unchanged', 'https://gw.example.nl/ext/api/v1/klanten/k1', 'https://gw.example.nl/ext/api/v1/klanten/k1'],
    ['other host unchanged', 'https://ander.example/ext/cmc/api/v1/x', 'https://ander.example/ext/cmc/api/v1/x'],
    ['without the public prefix unchanged', '/cmc/api/v1/x', '/cmc/api/v1/x'],
  ])('%s', (_n, value, expected) => {
    expect(rewriteUrl(value, m)).toBe(expected);
  });

  it('a root route does not claim every absolute path', () => {
    const r = linkMapsFor({ origin: 'http://gw', prefix: '' }, 'absolute', [ROOT]).toUpstream;
    expect(rewriteUrl('/iets', r)).toBe('/iets');
    expect(rewriteUrl('http://gw/iets', r)).toBe('http://root.internal/iets');
  });
});

describe('rewriteQuery', () => {
  const m = linkMapsFor(BASE, 'absolute', [CM]).toUpstream;
  it('rewrites URL values and keeps every other pair byte for byte', () => {
    const q = `a=1&klant=${encodeURIComponent('https://gw.example.nl/ext/api/v1/klanten/k')}&contactmoment=${encodeURIComponent('https://gw.example.nl/ext/cmc/api/v1/contactmomenten/1')}&b=x+y&flag`;
    const out = rewriteQuery(q, m);
    const parts = out.split('&');
    expect(parts[0]).toBe('a=1');
    expect(parts[1]).toBe(q.split('&')[1]);
    expect(decodeURIComponent(parts[2]!.split('=')[1]!)).toBe(`${CM.base}/contactmomenten/1`);
    expect(parts.slice(3)).toEqual(['b=x+y', 'flag']);
  });

  it('returns the same string when nothing changes, also with malformed escapes', () => {
    for (const q of ['', 'a=1&b=2', 'x=%E0%A4%A', 'page=2']) expect(rewriteQuery(q, m)).toBe(q);
  });
});

describe('rewriteLocation', () => {
  const m = linkMapsFor(BASE, 'absolute', [CM]).toClient;
  it.each([
    [`${CM.base}/x/1`, 'https://gw.example.nl/ext/cmc/api/v1/x/1'],
    ['/contactmomenten/api/v1/x/1', 'https://gw.example.nl/ext/cmc/api/v1/x/1'],
    ['/elders/x', '/elders/x'],
    ['//evil.example/x', '//evil.example/x'],
    ['https://elders.example/x', 'https://elders.example/x'],
  ])('%s → %s', (value, expected) => {
    expect(rewriteLocation(value, CM, m)).toBe(expected);
  });
});

describe('isSafeUpstreamPath', () => {
  it.each(['', '/', '/a', '/a/b', '/a.b/c..d', '/%41', '/a/.well-known'])('accepts %s', (p) => expect(isSafeUpstreamPath(p)).toBe(true));
  it.each(['/..', '/a/../b', '/./a', '/%2e%2e/x', '/%2E./x', '/.%2e', '/a%2fb', '/a%5Cb', '/a\\b', '//x', '/a//b', 'a'])('refuses %s', (p) =>
    expect(isSafeUpstreamPath(p)).toBe(false),
  );
});

describe('upstreamPath and forwardedPrefixFor', () => {
  it('maps the path below the prefix onto the target path', () => {
    expect(upstreamPath(CM, '/klantcontactmomenten', 'page=2')).toBe('/contactmomenten/api/v1/klantcontactmomenten?page=2');
    expect(upstreamPath(CM, '/', '')).toBe('/contactmomenten/api/v1');
    expect(upstreamPath(CM, '', 'x=1')).toBe('/contactmomenten/api/v1?x=1');
    expect(upstreamPath(ROOT, '/', '')).toBe('/');
    expect(upstreamPath(ROOT, '/a', '')).toBe('/a');
  });

  it('X-Forwarded-Prefix only when the public path ends with the target path', () => {
    expect(forwardedPrefixFor(BASE, CM)).toBeUndefined(); // /ext/cmc/api/v1 vs /contactmomenten/api/v1
    expect(forwardedPrefixFor(BASE, VRZ)).toBe('/ext');
    expect(forwardedPrefixFor({ origin: 'http://gw', prefix: '' }, VRZ)).toBeUndefined();
    expect(forwardedPrefixFor({ origin: 'http://gw', prefix: '' }, ROOT)).toBeUndefined();
    expect(forwardedPrefixFor({ origin: 'http://gw', prefix: '/p' }, parseUpstreamTarget('/x', 'http://up'))).toBe('/p/x');
  });
});

describe('errors', () => {
  it('timeouts are 504, everything else of the transport 502', () => {
    expect(proxyErrorToApiError('cm', new UpstreamTimeoutError('cm', 10)).status).toBe(504);
    expect(proxyErrorToApiError('cm', Object.assign(new Error('x'), { code: 'ECONNREFUSED' })).status).toBe(502);
    expect(proxyErrorToApiError('cm', Object.assign(new Error('x'), { code: 'ETIMEDOUT' })).status).toBe(504);
  });

  it.each([
    [500, 502, 'bad_gateway'],
    [503, 502, 'bad_gateway'],
    [400, 400, 'invalid'],
    [401, 401, 'not_authenticated'],
    [403, 403, 'permission_denied'],
    [404, 404, 'not_found'],
    [418, 418, 'error'],
  ])('a non-JSON %i becomes %i %s', (upstream, status, code) => {
    const e = nonJsonUpstreamError('cm', upstream);
    expect([e.status, e.code]).toEqual([status, code]);
  });
});
