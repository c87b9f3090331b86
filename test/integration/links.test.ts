// Links end to end: every URL the gateway returns is built from the request's public base
// (X-Forwarded-Proto/Host/Prefix or Forwarded, honoured only from trusted proxies; or a fixed
// publicBaseUrl), absolute by default or relative with `links: relative`; the base is part of the
// bytes and so of the ETag.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.ts';
import { klantBody } from '../support/write-fixtures.ts';

type Json = any;

let h: Harness; // trusts loopback (the default): the test client is a trusted proxy
let untrusted: Harness;
let relative: Harness;
let fixed: Harness;
let id: string;
const UUID_PATH = /\/api\/v1\/klanten\/[0-9a-f-]{36}$/;

beforeAll(async () => {
  h = await startHarness();
  [untrusted, relative, fixed] = await Promise.all([
    startHarness({ sharedSimulator: h.simulator, config: { server: { trustProxy: ['10.0.0.0/8'] } } }),
    startHarness({ sharedSimulator: h.simulator, config: { server: { links: 'relative' } } }),
    startHarness({ sharedSimulator: h.simulator, config: { server: { publicBaseUrl: 'https://api.example.nl/klanten/' } } }),
  ]);
  const list = await h.get('/api/v1/klanten');
  id = (list.body.results[5].url as string).split('/').at(-1) as string;
});

afterAll(async () => {
  await Promise.all([untrusted?.close(), relative?.close(), fixed?.close()]);
  await h?.close();
});

const klantPath = () => `/api/v1/klanten/${id}`;

describe('public base from a trusted proxy', () => {
  it('the same klant via two X-Forwarded-Host values: different urls and different ETags', async () => {
    const a = await h.get(klantPath(), { headers: { 'x-forwarded-host': 'a.example' } });
    const b = await h.get(klantPath(), { headers: { 'x-forwarded-host': 'b.example:8443' } });
    expect(a.body.url).toBe(`http://a.example${klantPath()}`);
    expect(b.body.url).toBe(`http://b.example:8443${klantPath()}`);
    expect(a.headers.get('etag')).not.toBe(b.headers.get('etag'));
    const { url: _a, ...restA } = a.body;
    const { url: _b, ...restB } = b.body;
    expect(restA).toEqual(restB);
    // One host's tag does not validate the other's representation.
    const cross = await h.get(klantPath(), { headers: { 'x-forwarded-host': 'b.example:8443', 'if-none-match': a.headers.get('etag')! } });
    expect(cross.status).toBe(200);
    const same = await h.get(klantPath(), { headers: { 'x-forwarded-host': 'a.example', 'if-none-match': a.headers.get('etag')! } });
    expect(same.status).toBe(304);
    expect(a.headers.get('vary')).toContain('X-Forwarded-Host');
  });

  it('X-Forwarded-Proto/Host/Prefix shape url, next and previous', async () => {
    const headers = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'GW.Example.NL:443', 'x-forwarded-prefix': '/ext/klanten/' };
    const one = await h.get(klantPath(), { headers });
    expect(one.body.url).toBe(`https://gw.example.nl/ext/klanten${klantPath()}`);
    const page2 = await h.get('/api/v1/klanten?page=2', { headers });
    expect(page2.body.next).toBe('https://gw.example.nl/ext/klanten/api/v1/klanten?page=3');
    expect(page2.body.previous).toBe('https://gw.example.nl/ext/klanten/api/v1/klanten');
    for (const k of page2.body.results) expect(k.url).toMatch(new RegExp(`^https://gw\\.example\\.nl/ext/klanten${UUID_PATH.source}`));
  });

  it('RFC 7239 Forwarded is honoured and wins over X-Forwarded-*', async () => {
    const r = await h.get(klantPath(), {
      headers: { forwarded: 'for=192.0.2.60;proto=https;host="fw.example"', 'x-forwarded-host': 'xf.example' },
    });
    expect(r.body.url).toBe(`https://fw.example${klantPath()}`);
  });

  it('malformed forwarded values are ignored, never copied into links', async () => {
    for (const bad of ['evil.example/path', 'a b', 'evil.example@x', '[::1', '']) {
      const r = await h.get(klantPath(), { headers: { 'x-forwarded-host': bad, 'x-forwarded-prefix': '//evil.example' } });
      expect(r.body.url, bad).toBe(`${h.gateway.url}${klantPath()}`);
    }
  });

  it('the served OpenAPI document names the same public base', async () => {
    const r = await h.get('/api/v1/openapi.json', { client: null, headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'gw.example.nl', 'x-forwarded-prefix': '/ext' } });
    expect(r.body.servers).toEqual([{ url: 'https://gw.example.nl/ext/api/v1' }]);
  });
});

describe('untrusted peers', () => {
  it('X-Forwarded-* and Forwarded are ignored when the peer is not in trustProxy', async () => {
    const plain = await untrusted.get(klantPath());
    const forged = await untrusted.get(klantPath(), {
      headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil.example', 'x-forwarded-prefix': '/x', forwarded: 'host=evil.example' },
    });
    expect(forged.body.url).toBe(`${untrusted.gateway.url}${klantPath()}`);
    expect(forged.headers.get('etag')).toBe(plain.headers.get('etag'));
  });
});

describe('links: relative', () => {
  it('url, next and previous are gateway-relative; they resolve against the gateway', async () => {
    const one = await relative.get(klantPath());
    expect(one.body.url).toBe(klantPath());
    const page2 = await relative.get('/api/v1/klanten?page=2');
    expect(page2.body.next).toBe('/api/v1/klanten?page=3');
    expect(page2.body.previous).toBe('/api/v1/klanten');
    const followed = await relative.get(page2.body.results[0].url);
    expect(followed.status).toBe(200);
    expect(followed.body).toEqual(page2.body.results[0]);
  });

  it('a forwarded prefix stays in relative links, the host does not', async () => {
    const r = await relative.get(klantPath(), { headers: { 'x-forwarded-host': 'a.example', 'x-forwarded-prefix': '/ext' } });
    expect(r.body.url).toBe(`/ext${klantPath()}`);
    const other = await relative.get(klantPath(), { headers: { 'x-forwarded-host': 'b.example', 'x-forwarded-prefix': '/ext' } });
    expect(other.headers.get('etag')).toBe(r.headers.get('etag')); // same bytes, same tag
  });

  it('relative and absolute renderings of one klant have different ETags', async () => {
    const rel = await relative.get(klantPath());
    const abs = await h.get(klantPath());
    expect(abs.body.url).toBe(`${h.gateway.url}${klantPath()}`);
    expect(rel.headers.get('etag')).not.toBe(abs.headers.get('etag'));
  });
});

describe('publicBaseUrl', () => {
  it('a fixed public base wins over any forwarded header', async () => {
    const r = await fixed.get(klantPath(), { headers: { 'x-forwarded-host': 'other.example', forwarded: 'host=fw.example' } });
    expect(r.body.url).toBe(`https://api.example.nl/klanten${klantPath()}`);
    const list: Json = await fixed.get('/api/v1/klanten');
    expect(list.body.next).toBe('https://api.example.nl/klanten/api/v1/klanten?page=2');
  });
});

describe('Location follows the link style', () => {
  it('is relative under links: relative and absolute by default', async () => {
    for (const [links, pattern] of [
      ['relative', /^\/api\/v1\/klanten\/[0-9a-f-]{36}$/],
      ['absolute', /^http:\/\/127\.0\.0\.1:\d+\/api\/v1\/klanten\/[0-9a-f-]{36}$/],
    ] as const) {
      const lh = await startHarness({ config: { server: { links } } });
      try {
        const r = await lh.request('POST', '/api/v1/klanten', { body: klantBody('natuurlijk_persoon') });
        expect(r.status, r.text).toBe(201);
        expect(r.headers.get('location')).toMatch(pattern);
        expect(r.headers.get('location')).toBe(r.body.url);
      } finally {
        await lh.close();
      }
    }
  });
});
