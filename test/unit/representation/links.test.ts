import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createPublicBaseResolver,
  makeLinker,
  normalizePrefix,
  parseForwardedFirstHop,
  parseHostPort,
  parseIncomingResourceUrl,
  publicBase,
  rewriteUrls,
} from '../../../src/representation/links.ts';
import type { PublicBase, PublicBaseConfig, PublicBaseRequest } from '../../../src/representation/links.ts';

const TRUST: PublicBaseConfig = { trustProxy: ['10.0.0.0/8', '192.168.1.7', '2001:db8::/32', '::1'] };

function req(remoteAddress: string, headers: PublicBaseRequest['headers'] = {}, host = 'klantbrug:8080', protocol = 'http'): PublicBaseRequest {
  return { protocol, host, remoteAddress, headers };
}

const DIRECT: PublicBase = { origin: 'http://klantbrug:8080', prefix: '' };

describe('publicBase', () => {
  const cases: [string, PublicBaseRequest, PublicBase][] = [
    // No proxy involved
    ['direct, no headers', req('203.0.113.9'), DIRECT],
    ['direct TLS', req('203.0.113.9', {}, 'api.example.nl', 'https'), { origin: 'https://api.example.nl', prefix: '' }],
    ['default port dropped, host lower-cased', req('203.0.113.9', {}, 'API.Example.NL:443', 'https'), { origin: 'https://api.example.nl', prefix: '' }],
    ['http default port dropped', req('203.0.113.9', {}, 'api.example.nl:80'), { origin: 'http://api.example.nl', prefix: '' }],
    ['IPv6 Host', req('203.0.113.9', {}, '[2001:DB8::1]:8443', 'https'), { origin: 'https://[2001:db8::1]:8443', prefix: '' }],

    // Trusted proxy: X-Forwarded-*
    [
      'trusted IPv4 CIDR, X-Forwarded-*',
      req('10.1.2.3', { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'gw.example.nl', 'x-forwarded-prefix': '/klanten-ext' }),
      { origin: 'https://gw.example.nl', prefix: '/klanten-ext' },
    ],
    ['trusted single IP', req('192.168.1.7', { 'x-forwarded-host': 'gw.example.nl:8443' }), { origin: 'http://gw.example.nl:8443', prefix: '' }],
    ['IPv4-mapped IPv6 peer matches IPv4 CIDR', req('::ffff:10.9.9.9', { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'gw.example.nl' }), { origin: 'https://gw.example.nl', prefix: '' }],
    ['trusted IPv6 CIDR', req('2001:db8:42::17', { 'x-forwarded-proto': 'HTTPS', 'x-forwarded-host': 'GW.example.nl' }), { origin: 'https://gw.example.nl', prefix: '' }],
    ['trusted IPv6 loopback', req('::1', { 'x-forwarded-proto': 'https' }), { origin: 'https://klantbrug:8080', prefix: '' }],
    ['lists: first (client-facing) element', req('10.0.0.1', { 'x-forwarded-proto': 'https, http', 'x-forwarded-host': 'gw.example.nl, internal', 'x-forwarded-prefix': '/a, /b' }), { origin: 'https://gw.example.nl', prefix: '/a' }],
    ['repeated header lines: first', req('10.0.0.1', { 'x-forwarded-host': ['gw.example.nl', 'other.example'] }), { origin: 'http://gw.example.nl', prefix: '' }],
    ['prefix trailing slash dropped, "/" is no prefix', req('10.0.0.1', { 'x-forwarded-prefix': '/x/y/' }), { ...DIRECT, prefix: '/x/y' }],
    ['prefix "/"', req('10.0.0.1', { 'x-forwarded-prefix': '/' }), DIRECT],
    ['forwarded https on default port drops :443', req('10.0.0.1', { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'gw.example.nl:443' }), { origin: 'https://gw.example.nl', prefix: '' }],

    // Trusted proxy: RFC 7239 Forwarded
    ['Forwarded proto/host', req('10.0.0.1', { forwarded: 'for=192.0.2.60;proto=https;host=gw.example.nl' }), { origin: 'https://gw.example.nl', prefix: '' }],
    ['Forwarded quoted host with port, case-insensitive names', req('10.0.0.1', { forwarded: 'For="[2001:db8::9]:4711";PROTO=https;Host="GW.example.nl:8443"' }), { origin: 'https://gw.example.nl:8443', prefix: '' }],
    ['Forwarded first hop wins', req('10.0.0.1', { forwarded: 'host=gw.example.nl;proto=https, host=inner.local;proto=http' }), { origin: 'https://gw.example.nl', prefix: '' }],
    ['Forwarded beats X-Forwarded-*', req('10.0.0.1', { forwarded: 'host=a.example;proto=https', 'x-forwarded-host': 'b.example', 'x-forwarded-proto': 'http' }), { origin: 'https://a.example', prefix: '' }],
    ['Forwarded without host: X-Forwarded-Host fills in', req('10.0.0.1', { forwarded: 'for=1.2.3.4;proto=https', 'x-forwarded-host': 'b.example' }), { origin: 'https://b.example', prefix: '' }],
    ['Forwarded host=evil inside a quoted for= is not a host', req('10.0.0.1', { forwarded: 'for="1.2.3.4;host=evil.example";proto=https' }), { origin: 'https://klantbrug:8080', prefix: '' }],
    ['Forwarded quoted value with comma then host', req('10.0.0.1', { forwarded: 'for="a, host=evil.example";host=gw.example.nl' }), { origin: 'http://gw.example.nl', prefix: '' }],
    ['Forwarded quoted-pair', req('10.0.0.1', { forwarded: 'for="\\"x\\"";host=gw.example.nl' }), { origin: 'http://gw.example.nl', prefix: '' }],
    ['Forwarded unbalanced quote → ignored, X-Forwarded used', req('10.0.0.1', { forwarded: 'host="evil.example;proto=https', 'x-forwarded-host': 'gw.example.nl' }), { origin: 'http://gw.example.nl', prefix: '' }],
    ['Forwarded duplicate host parameter → ignored', req('10.0.0.1', { forwarded: 'host=a.example;host=evil.example' }), DIRECT],
    ['Forwarded junk separator → ignored', req('10.0.0.1', { forwarded: 'host=a.example proto=https' }), DIRECT],
    ['Forwarded host with path → ignored', req('10.0.0.1', { forwarded: 'host="a.example/evil"' }), DIRECT],

    // Untrusted peer: every forwarded header ignored (spoofing)
    ['untrusted peer spoofs X-Forwarded-*', req('203.0.113.9', { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil.example', 'x-forwarded-prefix': '/evil' }), DIRECT],
    ['untrusted peer spoofs Forwarded', req('203.0.113.9', { forwarded: 'host=evil.example;proto=https' }), DIRECT],
    ['untrusted IPv6 just outside the CIDR', req('2001:db9::1', { 'x-forwarded-host': 'evil.example' }), DIRECT],
    ['untrusted IPv4 that only looks mapped', req('::ffff:11.0.0.1', { 'x-forwarded-host': 'evil.example' }), DIRECT],
    ['empty remote address (socket gone)', req('', { 'x-forwarded-host': 'evil.example' }), DIRECT],
    ['garbage remote address', req('not-an-ip', { 'x-forwarded-host': 'evil.example' }), DIRECT],

    // Trusted peer, junk values: ignored, never reflected
    ['proto javascript', req('10.0.0.1', { 'x-forwarded-proto': 'javascript' }), DIRECT],
    ['proto with CRLF', req('10.0.0.1', { 'x-forwarded-proto': 'https\r\nSet-Cookie: a=b' }), DIRECT],
    ['host with path', req('10.0.0.1', { 'x-forwarded-host': 'evil.example/x' }), DIRECT],
    ['host with userinfo', req('10.0.0.1', { 'x-forwarded-host': 'user@evil.example' }), DIRECT],
    ['host with CRLF', req('10.0.0.1', { 'x-forwarded-host': 'gw.example.nl\r\nX-Evil: 1' }), DIRECT],
    ['host with HTML', req('10.0.0.1', { 'x-forwarded-host': '<script>' }), DIRECT],
    ['host with space', req('10.0.0.1', { 'x-forwarded-host': 'gw example' }), DIRECT],
    ['host empty label', req('10.0.0.1', { 'x-forwarded-host': 'gw..example' }), DIRECT],
    ['host port 0', req('10.0.0.1', { 'x-forwarded-host': 'gw.example:0' }), DIRECT],
    ['host port too big', req('10.0.0.1', { 'x-forwarded-host': 'gw.example:65536' }), DIRECT],
    ['host port not numeric', req('10.0.0.1', { 'x-forwarded-host': 'gw.example:80a' }), DIRECT],
    ['host IPv6 unbracketed', req('10.0.0.1', { 'x-forwarded-host': '2001:db8::1' }), DIRECT],
    ['host IPv6 with zone', req('10.0.0.1', { 'x-forwarded-host': '[fe80::1%25eth0]' }), DIRECT],
    ['host label over 63 chars', req('10.0.0.1', { 'x-forwarded-host': 'a'.repeat(64) + '.example' }), DIRECT],
    ['very long host header', req('10.0.0.1', { 'x-forwarded-host': 'a.'.repeat(50_000) + 'example' }), DIRECT],
    ['very long Forwarded', req('10.0.0.1', { forwarded: 'for=1.2.3.4;' + 'x=y;'.repeat(50_000) + 'host=evil.example' }), DIRECT],
    ['prefix protocol-relative //evil', req('10.0.0.1', { 'x-forwarded-prefix': '//evil.example' }), DIRECT],
    ['prefix dot-dot', req('10.0.0.1', { 'x-forwarded-prefix': '/a/../b' }), DIRECT],
    ['prefix percent-encoded', req('10.0.0.1', { 'x-forwarded-prefix': '/%2e%2e' }), DIRECT],
    ['prefix without leading slash', req('10.0.0.1', { 'x-forwarded-prefix': 'x' }), DIRECT],
    ['prefix with query', req('10.0.0.1', { 'x-forwarded-prefix': '/x?y=1' }), DIRECT],
    ['prefix with quote', req('10.0.0.1', { 'x-forwarded-prefix': '/x"onload' }), DIRECT],
    ['prefix with backslash', req('10.0.0.1', { 'x-forwarded-prefix': '/\\evil.example' }), DIRECT],
    ['prefix too long', req('10.0.0.1', { 'x-forwarded-prefix': '/' + 'a'.repeat(300) }), DIRECT],
    ['prefix with control char', req('10.0.0.1', { 'x-forwarded-prefix': '/a\u0000b' }), DIRECT],

    // Junk in the request itself
    ['junk Host header → localhost, never reflected', req('203.0.113.9', {}, 'evil.example/<x>'), { origin: 'http://localhost', prefix: '' }],
    ['empty Host header', req('203.0.113.9', {}, ''), { origin: 'http://localhost', prefix: '' }],
    ['junk socket protocol → http', req('203.0.113.9', {}, 'klantbrug:8080', 'gopher'), DIRECT],
  ];

  it.each(cases)('%s', (_name, request, expected) => {
    expect(publicBase(request, TRUST)).toEqual(expected);
  });

  it('empty trustProxy trusts nobody, not even loopback', () => {
    expect(publicBase(req('127.0.0.1', { 'x-forwarded-host': 'gw.example.nl' }), { trustProxy: [] })).toEqual(DIRECT);
  });

  it('publicBaseUrl is authoritative', () => {
    const cfg = { trustProxy: ['10.0.0.0/8'], publicBaseUrl: 'HTTPS://Klanten.Example.NL:443/gemeente/' };
    const expected = { origin: 'https://klanten.example.nl', prefix: '/gemeente' };
    expect(publicBase(req('10.0.0.1', { 'x-forwarded-host': 'other.example' }), cfg)).toEqual(expected);
    expect(publicBase(req('203.0.113.9'), cfg)).toEqual(expected);
  });

  it.each([
    [{ trustProxy: ['10.0.0.0/33'] }],
    [{ trustProxy: ['2001:db8::/129'] }],
    [{ trustProxy: ['10.0.0.0/x'] }],
    [{ trustProxy: ['localhost'] }],
    [{ trustProxy: ['10.0.0.256'] }],
    [{ trustProxy: [], publicBaseUrl: 'ftp://x.example' }],
    [{ trustProxy: [], publicBaseUrl: 'https://user@x.example' }],
    [{ trustProxy: [], publicBaseUrl: 'https://x.example/a?b' }],
    [{ trustProxy: [], publicBaseUrl: 'https://x.example//a' }],
  ])('bad config %j throws at compile time', (cfg) => {
    expect(() => createPublicBaseResolver(cfg)).toThrow();
  });

  it('createPublicBaseResolver gives the same answers as publicBase', () => {
    const resolve = createPublicBaseResolver(TRUST);
    for (const [, request, expected] of cases) expect(resolve(request)).toEqual(expected);
  });

  it('never puts anything but safe characters into the origin or prefix (property)', () => {
    const resolve = createPublicBaseResolver({ trustProxy: ['0.0.0.0/0'] });
    const junk = fc.string({ unit: 'binary', maxLength: 80 });
    fc.assert(
      fc.property(junk, junk, junk, junk, junk, (proto, host, prefix, forwarded, rawHost) => {
        const base = resolve(req('10.0.0.1', { 'x-forwarded-proto': proto, 'x-forwarded-host': host, 'x-forwarded-prefix': prefix, forwarded }, rawHost));
        expect(base.origin).toMatch(/^https?:\/\/([a-z0-9_.-]+|\[[0-9a-f:.]+\])(:\d{1,5})?$/);
        expect(new URL(base.origin).origin).toBe(base.origin); // parses, and unchanged by WHATWG
        expect(base.prefix).toMatch(/^(\/[A-Za-z0-9._~-]+)*$/);
        expect(base.prefix.includes('//')).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('building blocks', () => {
  it.each([
    ['a.example', { host: 'a.example', port: '' }],
    ['A.Example:08080', { host: 'a.example', port: '8080' }],
    ['1.2.3.4:1', { host: '1.2.3.4', port: '1' }],
    ['[::1]', { host: '[::1]', port: '' }],
    ['[::1]:', undefined],
    ['a.example:', undefined],
    ['a.example.', undefined],
    ['', undefined],
    ['[::1', undefined],
    ['[zz::1]', undefined],
    // Names ending in a number are IPv4 to WHATWG URL: only a real dotted quad may.
    ['A.0', undefined],
    ['1.2.3', undefined],
    ['8080', undefined],
    ['x.0x1F', undefined],
    ['0x', undefined],
    ['a.0a', { host: 'a.0a', port: '' }],
    ['0.a', { host: '0.a', port: '' }],
    ['[0:0::1]:8443', { host: '[::1]', port: '8443' }],
    ['[::FFFF:1.2.3.4]', { host: '[::ffff:102:304]', port: '' }],
  ])('parseHostPort(%j)', (value, expected) => {
    expect(parseHostPort(value)).toEqual(expected);
  });

  it.each([
    ['/', ''],
    ['/a', '/a'],
    ['/a/', '/a'],
    ['/a//', undefined],
    ['/a/./b', undefined],
    ['/.well-known', '/.well-known'],
    ['/..x', '/..x'],
    ['', undefined],
  ])('normalizePrefix(%j)', (value, expected) => {
    expect(normalizePrefix(value)).toEqual(expected);
  });

  it.each([
    ['for=1.2.3.4', {}],
    ['proto=https;host=a', { proto: 'https', host: 'a' }],
    [' proto = https', undefined], // no whitespace around '=' in RFC 7239
    ['proto=https,', { proto: 'https' }],
    ['proto=https;', undefined],
    ['=https', undefined],
    ['host=""', { host: '' }],
    ['host="a\u0001"', undefined],
  ])('parseForwardedFirstHop(%j)', (value, expected) => {
    expect(parseForwardedFirstHop(value)).toEqual(expected);
  });
});

describe('makeLinker', () => {
  const base: PublicBase = { origin: 'https://gw.example.nl', prefix: '/ext' };
  it.each([
    ['absolute', '/api/v1', 'klanten/abc', 'https://gw.example.nl/ext/api/v1/klanten/abc'],
    ['absolute', '/api/v1', '/klanten/abc', 'https://gw.example.nl/ext/api/v1/klanten/abc'],
    ['relative', '/api/v1', 'klanten/abc', '/ext/api/v1/klanten/abc'],
    ['relative', '/api/v1/', 'klanten/abc', '/ext/api/v1/klanten/abc'],
    ['absolute', '/', 'klanten/abc', 'https://gw.example.nl/ext/klanten/abc'],
  ] as const)('%s apiPath=%s url(%s)', (style, apiPath, path, expected) => {
    expect(makeLinker(base, style, apiPath).url(path)).toBe(expected);
  });

  it('root is what every link starts with (for cache keys)', () => {
    expect(makeLinker(base, 'absolute').root).toBe('https://gw.example.nl/ext/api/v1');
    expect(makeLinker(base, 'relative').root).toBe('/ext/api/v1');
    expect(makeLinker(DIRECT, 'relative').root).toBe('/api/v1');
  });

  it('rejects an unsafe apiPath', () => {
    expect(() => makeLinker(base, 'absolute', 'api')).toThrow();
    expect(() => makeLinker(base, 'absolute', '//x')).toThrow();
  });
});

describe('parseIncomingResourceUrl', () => {
  const base: PublicBase = { origin: 'https://gw.example.nl', prefix: '/ext' };
  const cases: [string, string, string | undefined][] = [
    ['absolute, ours', 'https://gw.example.nl/ext/api/v1/klanten/abc', '/klanten/abc'],
    ['absolute, scheme and host case, default port', 'HTTPS://GW.Example.nl:443/ext/api/v1/klanten/abc', '/klanten/abc'],
    ['relative, ours', '/ext/api/v1/klanten/abc', '/klanten/abc'],
    ['nested path', '/ext/api/v1/klanten/abc/audittrail/def', '/klanten/abc/audittrail/def'],
    ['pct-encoded is kept as is', '/ext/api/v1/klanten/a%20b', '/klanten/a%20b'],
    ['other host', 'https://other.example/ext/api/v1/klanten/abc', undefined],
    ['other scheme', 'http://gw.example.nl/ext/api/v1/klanten/abc', undefined],
    ['other port', 'https://gw.example.nl:8443/ext/api/v1/klanten/abc', undefined],
    ['userinfo', 'https://gw.example.nl@evil.example/ext/api/v1/klanten/abc', undefined],
    ['userinfo 2', 'https://evil@gw.example.nl/ext/api/v1/klanten/abc', undefined],
    ['missing prefix', '/api/v1/klanten/abc', undefined],
    ['other api version', '/ext/api/v10/klanten/abc', undefined],
    ['api root only', '/ext/api/v1', undefined],
    ['api root slash', '/ext/api/v1/', undefined],
    ['dot-dot', '/ext/api/v1/../admin', undefined],
    ['dot-dot deeper', '/ext/api/v1/klanten/../../x', undefined],
    ['empty segment', '/ext/api/v1/klanten//abc', undefined],
    ['trailing slash', '/ext/api/v1/klanten/abc/', undefined],
    ['query', '/ext/api/v1/klanten/abc?x=1', undefined],
    ['fragment', 'https://gw.example.nl/ext/api/v1/klanten/abc#x', undefined],
    ['bad pct-encoding', '/ext/api/v1/klanten/%zz', undefined],
    ['network-path reference', '//gw.example.nl/ext/api/v1/klanten/abc', undefined],
    ['javascript', 'javascript:alert(1)', undefined],
    ['no scheme', 'gw.example.nl/ext/api/v1/klanten/abc', undefined],
    ['empty', '', undefined],
    ['space', '/ext/api/v1/klanten/a b', undefined],
    ['backslash', '/ext/api/v1/klanten\\abc', undefined],
    ['too long', '/ext/api/v1/klanten/' + 'a'.repeat(5000), undefined],
  ];

  it.each(cases)('%s', (_name, value, expected) => {
    expect(parseIncomingResourceUrl(value, base)).toBe(expected);
  });

  it('accepts listed other origins', () => {
    const url = 'https://nlx.example/ext/api/v1/klanten/abc';
    expect(parseIncomingResourceUrl(url, base)).toBeUndefined();
    expect(parseIncomingResourceUrl(url, base, '/api/v1', ['https://nlx.example'])).toBe('/klanten/abc');
  });

  it('round-trips what makeLinker produces, both styles', () => {
    for (const style of ['absolute', 'relative'] as const) {
      const link = makeLinker(base, style).url('klanten/5b5c4d8a-0000-4000-8000-000000000001');
      expect(parseIncomingResourceUrl(link, base)).toBe('/klanten/5b5c4d8a-0000-4000-8000-000000000001');
    }
  });
});

describe('rewriteUrls', () => {
  const from = ['http://upstream:8000/api/v1', 'http://other:9000/'];
  const to = (url: string, matched: string) => 'https://gw.example.nl/ext/contactmomenten/api/v1' + url.slice(matched.length).replace(/^(?!\/)/, '/');

  it('rewrites string values at any depth, at a boundary, leaving keys alone', () => {
    const input = {
      url: 'http://upstream:8000/api/v1/contactmomenten/1',
      'http://upstream:8000/api/v1': 'key unchanged',
      list: ['http://upstream:8000/api/v1', 'http://upstream:8000/api/v10/x', 'http://upstream:8000/api/v1?page=2', 42, null, true],
      nested: { deeper: { klant: 'http://other:9000/klanten/1', text: 'see http://upstream:8000/api/v1/x' } },
      unchanged: { a: 'b' },
    };
    const copy = structuredClone(input);
    const out = rewriteUrls(input, from, to);
    expect(out).toEqual({
      url: 'https://gw.example.nl/ext/contactmomenten/api/v1/contactmomenten/1',
      'http://upstream:8000/api/v1': 'key unchanged',
      list: ['https://gw.example.nl/ext/contactmomenten/api/v1/', 'http://upstream:8000/api/v10/x', 'https://gw.example.nl/ext/contactmomenten/api/v1/?page=2', 42, null, true],
      nested: { deeper: { klant: 'https://gw.example.nl/ext/contactmomenten/api/v1/klanten/1', text: 'see http://upstream:8000/api/v1/x' } },
      unchanged: { a: 'b' },
    });
    expect(input).toEqual(copy); // not mutated
    expect(out.unchanged).toBe(input.unchanged); // unchanged subtrees shared
    expect(Object.keys(out)).toEqual(Object.keys(input)); // order kept
  });

  it('returns the same value when nothing matches', () => {
    const input = { a: ['x', { b: 'y' }] };
    expect(rewriteUrls(input, from, to)).toBe(input);
    expect(rewriteUrls('http://upstream:8000/api/v1/x', from, () => 'z')).toBe('z');
    expect(rewriteUrls(null, from, to)).toBe(null);
  });

  it('keeps a "__proto__" JSON key as own data', () => {
    const input = JSON.parse('{"__proto__": "http://other:9000/x", "a": 1}') as Record<string, unknown>;
    const out = rewriteUrls(input, from, () => 'rewritten');
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toBe('rewritten');
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });

  it('refuses absurd nesting instead of overflowing the stack', () => {
    const deep = JSON.parse('['.repeat(10_000) + ']'.repeat(10_000)) as unknown;
    expect(() => rewriteUrls(deep, from, to)).toThrow(RangeError);
  });
});
