// HTTP caching of klant_read / klant_list on one gateway with the in-process tier (no Redis):
// ETag semantics, HEAD, key inputs, authorization before the cache, single-flight, and the raw
// fast path answering exactly what Express answers. Real gateways and simulator on loopback.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.ts';

let fast: Harness; // fast path on (the default)
let slow: Harness; // every request through Express
let ids: string[];

interface Raw {
  status: number;
  /** Header names and values in wire order, Date left out (X-Request-ID is fixed by the caller). */
  headers: [string, string][];
  body: string;
}

function raw(h: Harness, method: string, path: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = http.request(h.gateway.url + path, { method, headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => {
        const pairs: [string, string][] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          if (res.rawHeaders[i]!.toLowerCase() !== 'date') pairs.push([res.rawHeaders[i]!, res.rawHeaders[i + 1]!]);
        }
        resolve({ status: res.statusCode ?? 0, headers: pairs, body });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

const header = (r: Raw, name: string) => r.headers.find(([n]) => n.toLowerCase() === name)?.[1];
const backendQuestions = (h: Harness) => h.simulator.stats().requests.total;

function auth(h: Harness, client: 'all' | 'reader' | 'nobody' = 'reader', extra: Record<string, string> = {}) {
  // One public base for both gateways (they listen on different ports), so their bytes can be equal.
  return { authorization: `Bearer ${h.token(client)}`, 'x-request-id': 'cache-test-1', 'x-forwarded-host': 'api.example.nl', ...extra };
}

beforeAll(async () => {
  fast = await startHarness({ config: { subjectCheck: { enabled: false } } });
  slow = await startHarness({ sharedSimulator: fast.simulator, fastPath: false, config: { subjectCheck: { enabled: false } } });
  const list = await fast.get('/api/v1/klanten');
  ids = list.body.results.map((k: { url: string }) => k.url.split('/').pop());
});

afterAll(async () => {
  await slow?.close();
  await fast?.close();
});

describe('fast path = Express', () => {
  const cases: [string, string, string, Record<string, string>][] = [
    ['GET detail', 'GET', 'detail', {}],
    ['GET detail with fields', 'GET', 'detail?fields=voornaam,adres.postcode', {}],
    ['HEAD detail', 'HEAD', 'detail', {}],
    ['GET list page', 'GET', 'list', {}],
    ['GET list with filter and page', 'GET', 'list?subjectType=natuurlijk_persoon&page=2', {}],
    ['relative to a forwarded host and prefix', 'GET', 'detail', { 'x-forwarded-host': 'nlx.example.nl', 'x-forwarded-prefix': '/klanten-api' }],
  ];
  for (const [name, method, target, extra] of cases) {
    it(`${name}: identical status, headers (in order) and body`, async () => {
      const path = target.startsWith('detail')
        ? `/api/v1/klanten/${ids[3]}${target.slice('detail'.length)}`
        : `/api/v1/klanten${target.slice('list'.length)}`;
      const headers = auth(fast, 'reader', extra);
      const miss = await raw(fast, method, path, headers); // fills the cache through Express (unless cached before)
      const before = fast.gateway.cache.health().counters.fastPathHits;
      const hit = await raw(fast, method, path, headers); // answered by the fast path
      const express = await raw(slow, method, path, headers);
      expect(fast.gateway.cache.health().counters.fastPathHits).toBe(before + 1);
      expect(miss.status).toBe(200);
      expect(hit).toEqual(miss);
      expect(hit).toEqual(express);
      const etag = header(hit, 'etag')!;
      const notModifiedFast = await raw(fast, method, path, { ...headers, 'if-none-match': etag });
      const notModifiedExpress = await raw(slow, method, path, { ...headers, 'if-none-match': etag });
      expect(notModifiedFast.status).toBe(304);
      expect(notModifiedFast).toEqual(notModifiedExpress);
      expect(fast.gateway.cache.health().counters.fastPathHits).toBe(before + 2);
    });
  }
});

describe('what the fast path leaves to Express', () => {
  const odd: [string, Record<string, string>][] = [
    ['an Accept without JSON', { accept: 'text/html' }],
    ['JSON refused by name', { accept: 'application/json;q=0, */*' }],
    ['an unusual X-Forwarded-Proto', { 'x-forwarded-proto': 'HTTPS' }],
    ['a percent-encoded id', {}],
  ];
  for (const [name, extra] of odd) {
    it(`${name}: answered by Express, the same way it always would`, async () => {
      const id = ids[4]!;
      const path = name === 'a percent-encoded id' ? `/api/v1/klanten/%${id.charCodeAt(0).toString(16)}${id.slice(1)}` : `/api/v1/klanten/${id}`;
      await raw(fast, 'GET', `/api/v1/klanten/${id}`, auth(fast)); // cached
      const before = fast.gateway.cache.health().counters.fastPathHits;
      const viaFast = await raw(fast, 'GET', path, auth(fast, 'reader', extra));
      const viaExpress = await raw(slow, 'GET', path, auth(slow, 'reader', extra));
      expect(fast.gateway.cache.health().counters.fastPathHits).toBe(before);
      expect(viaFast).toEqual(viaExpress);
    });
  }
});

describe('ETag and conditional GET', () => {
  let path: string;
  let etag: string;
  beforeAll(async () => {
    path = `/api/v1/klanten/${ids[5]}`;
    const first = await raw(fast, 'GET', path, auth(fast));
    etag = header(first, 'etag')!;
  });

  it('is a strong tag over the exact bytes', async () => {
    const r = await raw(fast, 'GET', path, auth(fast));
    const { strongEtag } = await import('../../src/representation/etag.ts');
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{22}"$/);
    expect(strongEtag(Buffer.from(r.body, 'utf8'))).toBe(etag);
  });

  const matching: [string, (e: string) => string][] = [
    ['one tag', (e) => e],
    ['several tags', (e) => `"nope", ${e}, "other"`],
    ['several without spaces', (e) => `"nope",${e}`],
    ['extra spaces', (e) => `   "nope"  ,   ${e}   `],
    ['a weak tag (weak comparison)', (e) => `W/${e}`],
    ['a star', () => '*'],
  ];
  for (const [name, value] of matching) {
    it(`If-None-Match with ${name} → 304 with the ETag and no body, fast path and Express, no backend call`, async () => {
      for (const h of [fast, slow]) {
        await raw(h, 'GET', path, auth(h)); // cached
        const questions = backendQuestions(h);
        const r = await raw(h, 'GET', path, auth(h, 'reader', { 'if-none-match': value(etag) }));
        expect(r.status).toBe(304);
        expect(r.body).toBe('');
        expect(header(r, 'etag')).toBe(etag);
        expect(header(r, 'content-type')).toBeUndefined();
        expect(backendQuestions(h)).toBe(questions);
      }
    });
  }

  const nonMatching: [string, (e: string) => string][] = [
    ['another tag', () => '"nope"'],
    ['another weak tag', () => 'W/"nope"'],
    ['a prefix of the tag', (e) => `${e.slice(0, -2)}"`],
    ['junk', () => 'junk'],
    ['the tag after junk in one element', (e) => `"x" ${e}`],
  ];
  for (const [name, value] of nonMatching) {
    it(`If-None-Match with ${name} → 200 with the body`, async () => {
      for (const h of [fast, slow]) {
        const r = await raw(h, 'GET', path, auth(h, 'reader', { 'if-none-match': value(etag) }));
        expect(r.status).toBe(200);
        expect(JSON.parse(r.body).url).toContain(ids[5]);
      }
    });
  }

  it('Cache-Control: no-cache on the request does not defeat the precondition', async () => {
    const r = await raw(fast, 'GET', path, auth(fast, 'reader', { 'if-none-match': etag, 'cache-control': 'no-cache' }));
    expect(r.status).toBe(304);
  });

  it('HEAD answers GET’s headers without a body', async () => {
    const get = await raw(fast, 'GET', path, auth(fast));
    const head = await raw(fast, 'HEAD', path, auth(fast));
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers).toEqual(get.headers);
    expect(Number(header(head, 'content-length'))).toBe(Buffer.byteLength(get.body));
  });
});

describe('every input of the bytes is part of the key', () => {
  it('another X-Forwarded-Host or prefix gives another url and ETag, never the cached bytes of the first', async () => {
    const path = `/api/v1/klanten/${ids[7]}`;
    const a = await raw(fast, 'GET', path, auth(fast, 'reader', { 'x-forwarded-host': 'a.example.nl' }));
    const a2 = await raw(fast, 'GET', path, auth(fast, 'reader', { 'x-forwarded-host': 'a.example.nl' }));
    const b = await raw(fast, 'GET', path, auth(fast, 'reader', { 'x-forwarded-host': 'b.example.nl' }));
    const p = await raw(fast, 'GET', path, auth(fast, 'reader', { 'x-forwarded-host': 'a.example.nl', 'x-forwarded-prefix': '/nlx' }));
    const s = await raw(fast, 'GET', path, auth(fast, 'reader', { 'x-forwarded-host': 'a.example.nl', 'x-forwarded-proto': 'https' }));
    expect(JSON.parse(a.body).url).toBe(`http://a.example.nl/api/v1/klanten/${ids[7]}`);
    expect(JSON.parse(b.body).url).toBe(`http://b.example.nl/api/v1/klanten/${ids[7]}`);
    expect(JSON.parse(p.body).url).toBe(`http://a.example.nl/nlx/api/v1/klanten/${ids[7]}`);
    expect(JSON.parse(s.body).url).toBe(`https://a.example.nl/api/v1/klanten/${ids[7]}`);
    expect(a2).toEqual(a);
    const tags = new Set([a, b, p, s].map((r) => header(r, 'etag')));
    expect(tags.size).toBe(4);
  });

  it('without forwarding headers the Host decides the url, on the fast path as in Express', async () => {
    const path = `/api/v1/klanten/${ids[8]}`;
    const plain = (h: Harness, host: string, extra: Record<string, string> = {}) =>
      raw(h, 'GET', path, { authorization: `Bearer ${h.token('reader')}`, 'x-request-id': 'cache-test-2', host, ...extra });
    await plain(fast, 'a.example.nl'); // fill
    const a = await plain(fast, 'a.example.nl');
    const b = await plain(fast, 'b.example.nl:8080');
    const forwarded = await plain(fast, 'a.example.nl', { 'x-forwarded-host': 'c.example.nl' });
    const a2 = await plain(fast, 'a.example.nl');
    expect(JSON.parse(a.body).url).toBe(`http://a.example.nl/api/v1/klanten/${ids[8]}`);
    expect(JSON.parse(b.body).url).toBe(`http://b.example.nl:8080/api/v1/klanten/${ids[8]}`);
    expect(JSON.parse(forwarded.body).url).toBe(`http://c.example.nl/api/v1/klanten/${ids[8]}`);
    expect(a2).toEqual(a);
    expect(await plain(slow, 'b.example.nl:8080')).toEqual(b);
  });

  it('fields: another selection another ETag; the same selection spelt differently shares one entry', async () => {
    const path = `/api/v1/klanten/${ids[8]}`;
    const all = await raw(fast, 'GET', path, auth(fast));
    const one = await raw(fast, 'GET', `${path}?fields=voornaam,achternaam`, auth(fast));
    const fills = fast.gateway.cache.health().counters.fills;
    const same = await raw(fast, 'GET', `${path}?fields=achternaam,voornaam,voornaam`, auth(fast));
    expect(header(one, 'etag')).not.toBe(header(all, 'etag'));
    expect(Object.keys(JSON.parse(one.body)).sort()).toEqual(['achternaam', 'url', 'voornaam']);
    expect(same.body).toBe(one.body);
    expect(fast.gateway.cache.health().counters.fills).toBe(fills);
  });

  it('list pages: the query (and so next/previous) is part of the key', async () => {
    const a = await raw(fast, 'GET', '/api/v1/klanten?page=2', auth(fast));
    const b = await raw(fast, 'GET', '/api/v1/klanten?page=2&foo=bar', auth(fast));
    expect(JSON.parse(a.body).next).toMatch(/\?page=3$/);
    expect(JSON.parse(b.body).next).toMatch(/\?page=3&foo=bar$/);
    expect(header(a, 'etag')).not.toBe(header(b, 'etag'));
  });
});

describe('authorization before the cache', () => {
  it('a client without the scope gets 403 even when the bytes are cached (detail and list)', async () => {
    const detail = `/api/v1/klanten/${ids[2]}`;
    for (const path of [detail, '/api/v1/klanten']) {
      const ok = await raw(fast, 'GET', path, auth(fast));
      await raw(fast, 'GET', path, auth(fast));
      expect(ok.status).toBe(200);
      const denied = await raw(fast, 'GET', path, auth(fast, 'nobody', { 'if-none-match': header(ok, 'etag')! }));
      expect(denied.status).toBe(403);
      expect(denied.body).not.toContain(ids[2]);
      const none = await raw(fast, 'GET', path, { 'if-none-match': header(ok, 'etag')! });
      expect(none.status).toBe(401);
      const forged = await raw(fast, 'GET', path, { authorization: `Bearer ${fast.token('reader').slice(0, -3)}AAA` });
      expect(forged.status).toBe(401);
    }
  });
});

describe('misses', () => {
  it('N concurrent misses for one klant cost one backend question', async () => {
    const path = `/api/v1/klanten/${ids[20]}`;
    fast.simulator.setFault({ type: 'latency', ms: 150 });
    try {
      const questions = backendQuestions(fast);
      const answers = await Promise.all(Array.from({ length: 12 }, () => raw(fast, 'GET', path, auth(fast))));
      expect(answers.map((a) => a.status)).toEqual(Array(12).fill(200));
      expect(new Set(answers.map((a) => a.body)).size).toBe(1);
      expect(backendQuestions(fast) - questions).toBe(1);
    } finally {
      fast.simulator.clearFaults();
    }
  });

  it('an unknown klant is 404 and not cached', async () => {
    const path = '/api/v1/klanten/00000000-0000-4000-8000-000000000000';
    expect((await raw(fast, 'GET', path, auth(fast))).status).toBe(404);
    const fills = fast.gateway.cache.health().counters.fills;
    expect((await raw(fast, 'GET', path, auth(fast))).status).toBe(404);
    expect(fast.gateway.cache.health().counters.fills).toBe(fills + 1);
  });
});

describe('writes through the gateway', () => {
  it('a PATCH is visible at once on the next read (klant and list), and If-Match guards it', async () => {
    const id = ids[1]!;
    const path = `/api/v1/klanten/${id}`;
    const before = await fast.get(path);
    await fast.get(path); // in the fast path now
    const list = await fast.get('/api/v1/klanten');
    const stale = before.headers.get('etag')!;
    const telefoonnummer = `06${String(Date.now()).slice(-8)}`;
    const patched = await fast.request('PATCH', path, { body: { telefoonnummer }, headers: { 'if-match': stale } });
    expect(patched.status, patched.text).toBe(200);
    const after = await fast.get(path);
    expect(after.body.telefoonnummer).toBe(telefoonnummer);
    expect(after.headers.get('etag')).not.toBe(stale);
    const listAfter = await fast.get('/api/v1/klanten');
    expect(listAfter.headers.get('etag')).not.toBe(list.headers.get('etag'));
    expect(listAfter.body.results.find((k: { url: string }) => k.url.endsWith(id)).telefoonnummer).toBe(telefoonnummer);
    // The old ETag no longer matches: a second writer holding it gets 412.
    const conflict = await fast.request('PATCH', path, { body: { telefoonnummer: '0600000000' }, headers: { 'if-match': stale } });
    expect(conflict.status).toBe(412);
    expect((await fast.get(path)).body.telefoonnummer).toBe(telefoonnummer);
  });
});
