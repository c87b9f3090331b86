// Hostile request headers: If-None-Match, Authorization (garbled and tampered JWTs),
// X-Forwarded-* / Forwarded / Host junk from trusted and untrusted peers, X-Request-ID. Whatever
// they hold: an answer in time, never a 500, a VNG problem for errors, no forged link, no echo of
// junk into response headers, and authentication only for the exact valid token.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startHarness, type Harness } from '../support/harness.ts';
import { authorizationValue, headerText } from './generators.ts';
import { CaseCounter, closeAgent, expectClean, rawRequest, runs } from './support.ts';

// Hundreds of cases per property; a busy CI machine must not turn that into a timeout.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 60_000 });

let trusted: Harness; // trusts loopback (the default): forwarded headers count
let untrusted: Harness; // trusts 10.0.0.0/8 only: forwarded headers from loopback are junk
let detailPath: string;
let etag: string;
let validToken: string;
const cases = new CaseCounter('headers');

const UUID_PATH = /\/api\/v1\/klanten\/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

beforeAll(async () => {
  trusted = await startHarness();
  untrusted = await startHarness({ sharedSimulator: trusted.simulator, config: { server: { trustProxy: ['10.0.0.0/8'] } } });
  validToken = trusted.token('reader');
  const list = await trusted.get('/api/v1/klanten?subjectType=niet_natuurlijk_persoon');
  detailPath = new URL(list.body.results[2].url).pathname;
  const r = await trusted.get(detailPath);
  etag = r.headers.get('etag')!;
  expect(etag).toMatch(/^"[^"]+"$/);
});

afterAll(async () => {
  cases.report();
  closeAgent();
  await untrusted?.close();
  await trusted?.close();
});

const withAuth = (headers: Record<string, string> = {}) => ({ authorization: `Bearer ${validToken}`, ...headers });

describe('If-None-Match', () => {
  const inm = fc.oneof(
    headerText(120),
    fc.constant('*'),
    fc.constant(''),
    // Lists around the real tag: weak, strong, quoted junk, commas and spaces in odd places.
    fc
      .array(fc.oneof(headerText(30), fc.constant('ETAG'), fc.constant('W/ETAG'), fc.constant('"x"'), fc.constant(',')), { maxLength: 6 })
      .chain((parts) => fc.constantFrom(',', ', ', ' ,', '').map((sep) => parts.join(sep))),
  );

  it('304 only for a matching tag or *, 200 with the body otherwise; never an error', async () => {
    await fc.assert(
      fc.asyncProperty(inm, async (raw) => {
        cases.hit('If-None-Match');
        const value = raw.replaceAll('ETAG', etag);
        const r = await rawRequest(trusted.gateway.url, { path: detailPath, headers: withAuth({ 'if-none-match': value }) });
        expectClean(r, [200, 304], `If-None-Match: ${value}`);
        const opaque = etag.slice(1, -1);
        const mentions = value.includes(opaque) || value.trim() === '*';
        if (!mentions) expect(r.status, value).toBe(200);
        if (value.trim() === etag || value.trim() === `W/${etag}` || value.trim() === '*') expect(r.status, value).toBe(304);
        if (r.status === 304) {
          expect(r.text).toBe('');
          expect(r.headers.etag).toBe(etag);
        } else {
          expect(r.headers.etag).toBe(etag);
          expect(UUID_PATH.test(new URL(r.body.url).pathname)).toBe(true);
        }
      }),
      { numRuns: runs(150) },
    );
  });
});

describe('Authorization', () => {
  it('401 problem for anything but the exact valid token; the valid one still works after', async () => {
    await fc.assert(
      fc.asyncProperty(authorizationValue(validToken), fc.constantFrom('detail', 'list', 'missing'), async (value, route) => {
        cases.hit('Authorization');
        const path = route === 'detail' ? detailPath : route === 'list' ? '/api/v1/klanten?subjectType=vestiging' : '/api/v1/nergens';
        const r = await rawRequest(trusted.gateway.url, { path, headers: { authorization: value } });
        expectClean(r, [200, 401, 403, 404], `Authorization: ${value.slice(0, 120)}`);
        const exact = /^bearer +(\S+)\s*$/i.exec(value)?.[1] === validToken;
        if (!exact) expect(r.status, value).toBe(401);
        if (r.status === 401) expect(String(r.headers['www-authenticate'])).toMatch(/^Bearer realm="klantbrug"/);
      }),
      { numRuns: runs(250) },
    );
    const ok = await rawRequest(trusted.gateway.url, { path: detailPath, headers: withAuth() });
    expect(ok.status).toBe(200);
  });

  it('a validly signed token with hostile claim values: 200, 401 or 403, never 500', async () => {
    const claimValue = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.integer(), fc.double(), fc.string({ unit: 'binary', maxLength: 50 }));
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom('iat', 'exp', 'nbf', 'user_id', 'user_representation', 'iss', 'scopes', 'zaaktypes'), claimValue, { maxKeys: 4 }),
        async (claims) => {
          cases.hit('signed token, hostile claims');
          const token = trusted.token('reader', claims);
          const r = await rawRequest(trusted.gateway.url, { path: detailPath, headers: { authorization: `Bearer ${token}` } });
          expectClean(r, [200, 401, 403], `claims ${JSON.stringify(claims).slice(0, 200)}`);
        },
      ),
      { numRuns: runs(100) },
    );
  });
});

describe('X-Forwarded-* and Host', () => {
  const forwarded = fc.record(
    {
      'x-forwarded-host': fc.oneof(headerText(60), fc.constantFrom('evil.example', 'evil.example:443', 'a/b', 'x@y', '[::1]:8080', 'ÿ.nl', 'EVIL.example.:80')),
      'x-forwarded-proto': fc.oneof(headerText(20), fc.constantFrom('https', 'HTTPS', 'ftp', 'javascript', 'https,http')),
      'x-forwarded-prefix': fc.oneof(headerText(60), fc.constantFrom('/api', '//evil.example', '/a/../b', '/%2e%2e', '/ok/', '\\\\evil')),
      'x-forwarded-for': headerText(60),
      'x-forwarded-port': headerText(10),
      forwarded: fc.oneof(headerText(80), fc.constantFrom('host=evil.example;proto=https', 'for=1.2.3.4;host="a;b"', 'host="evil.example', 'proto=https,host=x')),
      host: fc.oneof(headerText(40), fc.constantFrom('evil.example', 'evil.example:99999', '', 'a b', '127.0.0.1:1')),
    },
    { requiredKeys: [] },
  );

  const sane = (u: string) => {
    const parsed = new URL(u); // throws on junk
    expect(['http:', 'https:']).toContain(parsed.protocol);
    expect(parsed.username + parsed.password).toBe('');
    expect(u).not.toMatch(/[\s"<>\\^`{|}]/);
    expect(UUID_PATH.test(parsed.pathname), u).toBe(true);
  };

  it('trusted peer: links use only validated values, always a well-formed absolute URL', async () => {
    await fc.assert(
      fc.asyncProperty(forwarded, async (headers) => {
        cases.hit('X-Forwarded-* from a trusted peer');
        const r = await rawRequest(trusted.gateway.url, { path: detailPath, headers: withAuth(headers) });
        expectClean(r, [200, 400], JSON.stringify(headers));
        if (r.status === 200) sane(r.body.url);
      }),
      { numRuns: runs(200) },
    );
  });

  it('untrusted peer: forwarded headers change nothing', async () => {
    const own = `${untrusted.gateway.url}${detailPath}`;
    await fc.assert(
      fc.asyncProperty(forwarded, async ({ host: _host, ...headers }) => {
        cases.hit('X-Forwarded-* from an untrusted peer');
        const r = await rawRequest(untrusted.gateway.url, { path: detailPath, headers: withAuth(headers) });
        expectClean(r, [200], JSON.stringify(headers));
        expect(r.body.url).toBe(own);
      }),
      { numRuns: runs(150) },
    );
  });
});

describe('X-Request-ID', () => {
  it('echoed only when harmless, otherwise replaced by a fresh UUID; problems answer normally', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(headerText(200), fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/)), fc.boolean(), async (id, broken) => {
        cases.hit('X-Request-ID');
        const path = broken ? '/api/v1/klanten/not-a-uuid' : detailPath;
        const r = await rawRequest(trusted.gateway.url, { path, headers: withAuth({ 'x-request-id': id }) });
        expectClean(r, broken ? [400] : [200], `X-Request-ID: ${id}`);
        const echoed = String(r.headers['x-request-id']);
        const received = id.replace(/^[ \t]+|[ \t]+$/g, ''); // HTTP drops surrounding whitespace
        if (/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/.test(received)) expect(echoed).toBe(received);
        else expect(echoed).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      }),
      { numRuns: runs(150) },
    );
  });
});

describe('everything at once', () => {
  it('random headers of every kind on every read route', async () => {
    const anyHeaders = fc.dictionary(
      fc.oneof(
        fc.constantFrom('accept', 'accept-crs', 'content-crs', 'accept-encoding', 'accept-language', 'if-match', 'if-modified-since', 'range', 'content-type', 'content-length', 'x-http-method-override', 'origin', 'cookie', 'expect'),
        fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/),
      ),
      headerText(80),
      { maxKeys: 6 },
    );
    await fc.assert(
      fc.asyncProperty(anyHeaders, fc.constantFrom(detailPath, '/api/v1/klanten?subjectType=vestiging', '/api/v1/openapi.json', '/api/v1/nergens', '/'), async (headers, path) => {
        cases.hit('random headers');
        // A body on a GET is not what this property is about; content-length junk would make node refuse to send.
        delete headers['content-length'];
        delete headers.expect;
        const r = await rawRequest(trusted.gateway.url, { path, headers: withAuth(headers) });
        expectClean(r, [200, 304, 400, 404, 406, 412, 415, 416], `${path} ${JSON.stringify(headers)}`);
      }),
      { numRuns: runs(200) },
    );
  });
});

it('the gateway is still healthy after all of the above', async () => {
  const r = await rawRequest(trusted.gateway.url, { path: detailPath, headers: withAuth() });
  expect(r.status).toBe(200);
});
