// Hostile query strings, `fields` values and path uuids on the read routes: whatever arrives, the
// gateway answers in time with 200 or a VNG problem (400/404), never a 500, and every StUF message
// it sends the backend for it is still XSD-valid.
import net from 'node:net';
import querystring from 'node:querystring';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startHarness, type Harness } from '../support/harness.ts';
import { encodedText, fieldsValue, pct, queryString, SUBJECT_TYPES, uuidSegment } from './generators.ts';
import { CaseCounter, closeAgent, expectClean, rawRequest, runs } from './support.ts';

// Hundreds of cases per property; a busy CI machine must not turn that into a timeout.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 60_000 });

let h: Harness;
let auth: Record<string, string>;
let knownPaths: string[];
const cases = new CaseCounter('query strings, fields, uuids');

beforeAll(async () => {
  h = await startHarness();
  auth = { authorization: `Bearer ${h.token('reader')}` };
  const list = await h.get('/api/v1/klanten?page=2');
  knownPaths = list.body.results.slice(0, 20).map((k: { url: string }) => new URL(k.url).pathname);
});

afterAll(async () => {
  cases.report();
  closeAgent();
  await h?.close();
});

const get = (path: string) => rawRequest(h.gateway.url, { path, headers: auth });
const invalidSent = () => h.simulator.stats().requests.invalid;

describe('GET /klanten with hostile query strings', () => {
  it('answers 200/400/404 cleanly, and filters what it accepts', async () => {
    await fc.assert(
      fc.asyncProperty(queryString, async (qs) => {
        cases.hit('GET /klanten?<random query>');
        const before = invalidSent();
        const r = await get(`/api/v1/klanten?${qs}`);
        if (qs.length > 15_000) {
          // Past the 16 KiB header limit node:http answers 431 itself (see 'limits' below).
          expect([400, 431]).toContain(r.status); // 431 past the limit; 400 when the parser meets a bad byte first
          return;
        }
        expectClean(r, [200, 400, 404], `?${qs}`);
        expect(invalidSent(), `gateway sent an XSD-invalid StUF message for ?${qs}`).toBe(before);
        if (r.status === 200) {
          expect(typeof r.body.count).toBe('number');
          expect(r.body.results.length).toBeLessThanOrEqual(100);
          // Express's 'simple' query parser is node:querystring ('&' only; the last value counts).
          const parsed = querystring.parse(qs);
          const given = [parsed.subjectType, parsed.subject_type].filter((v) => v !== undefined);
          const st = given.length === 1 ? [given[0]].flat().at(-1) : undefined;
          if (st && parsed.fields === undefined && (SUBJECT_TYPES as readonly string[]).includes(st)) {
            for (const k of r.body.results) expect(k.subjectType).toBe(st);
          }
        }
      }),
      { numRuns: runs(250) },
    );
  });

  it('a page number far past the end, negative or not a number: 404 or 400, never a backend error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.bigInt({ min: 4n, max: 10n ** 40n }).map(String), fc.integer({ max: 0 }).map(String), encodedText), async (page) => {
        cases.hit('GET /klanten?page=<random>');
        const r = await get(`/api/v1/klanten?subjectType=vestiging&page=${page}`);
        expectClean(r, [200, 400, 404], `page=${page}`);
      }),
      { numRuns: runs(100) },
    );
  });
});

describe('GET /klanten/{uuid} with hostile path segments', () => {
  it('answers 400 for what is no UUID4, 404 for an unknown one, never 500', async () => {
    await fc.assert(
      fc.asyncProperty(uuidSegment, async (seg) => {
        cases.hit('GET /klanten/<random segment>');
        const r = await get(`/api/v1/klanten/${seg}`);
        expectClean(r, [200, 400, 404], seg);
        if (/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(seg)) {
          // A well-formed id decrypts to some backend key: found or not, never "invalid".
          expect(r.status).not.toBe(400);
        } else if (!/^[0-9A-Fa-f-]{36}$/.test(seg)) {
          expect(r.status, seg).not.toBe(200);
        }
      }),
      { numRuns: runs(200) },
    );
  });

  it('trailing junk after a known id never serves the klant under another URL', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...knownPaths), fc.constantFrom('/', '//', '/x', '%2F', '.', '%00', '?', '#x', '/..'), async (path, suffix) => {
        cases.hit('GET /klanten/<known id><junk>');
        const r = await get(path + suffix);
        const allowed = suffix === '?' ? [200] : suffix === '#x' ? [200, 400] : [301, 308, 400, 404];
        expectClean(r, allowed, path + suffix);
      }),
      { numRuns: runs(30) },
    );
  });
});

/**
 * `part` must be a projection of `full`: the same values, never more (a group the full
 * representation has is never rendered null under `fields`).
 */
function expectProjection(part: unknown, full: unknown, at: string): void {
  if (part !== null && typeof part === 'object') {
    expect(full, at).toBeTypeOf('object');
    expect(full, at).not.toBeNull();
    if (Array.isArray(part)) {
      expect((full as unknown[]).length, at).toBeGreaterThanOrEqual(part.length);
      return;
    }
    for (const [k, v] of Object.entries(part)) {
      expect(Object.hasOwn(full as object, k), `${at}.${k} is not in the full representation`).toBe(true);
      expectProjection(v, (full as Record<string, unknown>)[k], `${at}.${k}`);
    }
  } else {
    expect(part, at).toEqual(full);
  }
}

describe('fields', () => {

  it('on a detail: 200 with at most the asked fields (and url), or a 400 naming fields', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...knownPaths), fieldsValue, async (path, fields) => {
        cases.hit('GET /klanten/{uuid}?fields=<random>');
        const r = await get(`${path}?fields=${fields}`);
        expectClean(r, [200, 400], `fields=${fields}`);
        if (r.status === 400) {
          expect(r.body.invalidParams.map((p: { name: string }) => p.name)).toContain('fields');
        } else {
          expect(r.body.url).toBe(`${h.gateway.url}${path}`);
          const full = (await get(path)).body;
          expectProjection(r.body, full, '');
        }
      }),
      { numRuns: runs(150) },
    );
  });

  it('on the list, repeated or combined with filters: 200 or 400, never 500', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fieldsValue, { minLength: 1, maxLength: 3 }), fc.constantFrom('', 'subjectType=vestiging&', 'page=3&'), async (values, prefix) => {
        cases.hit('GET /klanten?fields=<random>[&fields=...]');
        const qs = prefix + values.map((v) => `fields=${v}`).join('&');
        const r = await get(`/api/v1/klanten?${qs}`);
        if (qs.length > 15_000) {
          expect([400, 431]).toContain(r.status); // past the header limit (or a bad byte first): http/client-error.ts
          return;
        }
        expectClean(r, [200, 400, 404], qs);
        if (values.length > 1) expect(r.status).toBe(400);
      }),
      { numRuns: runs(80) },
    );
  });
});

describe('limits and malformed HTTP', () => {
  it('a query larger than the header limit is refused in time and the server keeps serving', async () => {
    cases.hit('GET /klanten?<20 KiB>');
    const r = await get(`/api/v1/klanten?achternaam=${pct('x'.repeat(20_000))}`);
    expect([400, 414, 431]).toContain(r.status);
    expect(r.headers['api-version'], `${r.status} ${r.text}`).toBe('1.0.0');
    expectClean(r, [400, 414, 431], '20 KiB query');
    const after = await get('/api/v1/klanten?subjectType=vestiging');
    expect(after.status).toBe(200);
  });

  it('raw request lines node:http would never send: refused in time, the server keeps serving', async () => {
    const { port, hostname } = new URL(h.gateway.url);
    const junk = fc.oneof(
      fc.constantFrom('GARBAGE\r\n\r\n', 'GET /api/v1/klanten?x=\u00ff\u0001 HTTP/1.1\r\nHost: x\r\n\r\n', 'GET /api/v1/klanten HTTP/1.1\r\nHost: x\r\nX: a\u0000b\r\n\r\n', 'GET / HTTP/9.9\r\n\r\n', 'GET /api/v1/klanten HTTP/1.1\r\nContent-Length: -1\r\n\r\n', 'GET /api/v1/klanten HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\nabc'),
      fc.string({ unit: 'binary', maxLength: 200 }).map((t) => `GET /api/v1/klanten?${t} HTTP/1.1\r\nHost: x\r\n\r\n`),
      fc.uint8Array({ minLength: 1, maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1')),
    );
    await fc.assert(
      fc.asyncProperty(junk, async (request) => {
        cases.hit('raw malformed request');
        const answer = await new Promise<string>((resolve, reject) => {
          const s = net.connect(Number(port), hostname, () => s.end(Buffer.from(request, 'latin1')));
          let out = '';
          s.on('data', (d: Buffer) => (out += d.toString('latin1')));
          s.on('close', () => resolve(out));
          s.on('error', () => resolve(out));
          setTimeout(() => {
            s.destroy();
            reject(new Error(`hang on ${JSON.stringify(request).slice(0, 100)}`));
          }, 5_000).unref();
        });
        // Either nothing (a half request the server waits for, cut by our end) or an HTTP answer, never a 5xx.
        if (answer !== '') expect(answer, JSON.stringify(request).slice(0, 100)).toMatch(/^HTTP\/1\.1 [1-4]\d\d /);
        // Refusals by the HTTP parser are VNG problems too (http/client-error.ts).
        if (/^HTTP\/1\.1 4/.test(answer)) {
          expect(answer).toMatch(/\r\nAPI-version: 1\.0\.0\r\n/i);
          expect(answer).toMatch(/\r\nContent-Type: application\/problem\+json/i);
        }
      }),
      { numRuns: runs(60) },
    );
    const after = await get('/api/v1/klanten?subjectType=vestiging');
    expect(after.status).toBe(200);
  });
});
