// kla-002 subject check against real HTTP servers on loopback. Loopback is what the SSRF guard
// refuses, so most tests switch it off (allowPrivate) and the guard is tested on its own.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SubjectChecker, type SubjectCheckerOptions } from '../../../src/klanten/subject-check.ts';

interface Seen {
  path: string;
  host: string;
  method: string;
}

let server: http.Server;
let origin: string;
let port: number;
const seen: Seen[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    seen.push({ path: url.pathname, host: req.headers.host ?? '', method: req.method ?? '' });
    const p = url.pathname;
    if (p === '/ok') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    if (p === '/missing') return void res.writeHead(404).end();
    if (p === '/broken') return void res.writeHead(500).end();
    if (p === '/hang') return; // never answers
    if (p === '/endless-body') {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const chunk = Buffer.alloc(64 * 1024);
      const timer = setInterval(() => res.write(chunk), 5);
      res.on('close', () => clearInterval(timer));
      return;
    }
    if (p === '/redirect-relative') return void res.writeHead(302, { location: '/ok' }).end();
    if (p === '/redirect-absolute') return void res.writeHead(301, { location: `${origin}/ok` }).end();
    if (p === '/loop-a') return void res.writeHead(307, { location: '/loop-b' }).end();
    if (p === '/loop-b') return void res.writeHead(307, { location: '/loop-a' }).end();
    const chain = /^\/chain\/(\d+)$/.exec(p); // /chain/n redirects n more times, then /ok
    if (chain) {
      const n = Number(chain[1]);
      return void res.writeHead(302, { location: n > 0 ? `/chain/${n - 1}` : '/ok' }).end();
    }
    if (p === '/redirect-ftp') return void res.writeHead(302, { location: 'ftp://example.nl/x' }).end();
    if (p === '/redirect-other-host') {
      return void res.writeHead(302, { location: `http://other.test:${port}/ok` }).end();
    }
    if (p === '/redirect-no-location') return void res.writeHead(302).end();
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

const base: SubjectCheckerOptions = {
  enabled: true,
  timeoutMs: 2_000,
  maxRedirects: 3,
  allowHosts: [],
  allowPrivate: true,
};

function checker(opts: Partial<SubjectCheckerOptions> = {}) {
  return new SubjectChecker({ ...base, ...opts });
}

/** A resolver for names under .test, all on this machine; anything else fails like NXDOMAIN. */
const testDns = (map: Record<string, string>) => async (host: string) => {
  const address = map[host];
  if (!address) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
  return [{ address, family: address.includes(':') ? 6 : 4 }];
};

function requestsTo(path: string): number {
  return seen.filter((s) => s.path === path).length;
}

describe('kla-002 subject check: status', () => {
  it('accepts a URL answering 200 (with a GET)', async () => {
    expect(await checker().check(`${origin}/ok`)).toEqual({ ok: true });
    expect(seen.at(-1)?.method).toBe('GET');
  });

  it.each([
    ['/missing', '404'],
    ['/broken', '500'],
    ['/redirect-no-location', '302'],
  ])('refuses %s with code bad-url and the status in the reason', async (path, status) => {
    const r = await checker().check(`${origin}${path}`);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe('bad-url');
      expect(r.reason).toContain(status);
    }
  });

  it('an empty subject or a disabled check passes without a request', async () => {
    const before = seen.length;
    expect(await checker().check('')).toEqual({ ok: true });
    expect(await checker({ enabled: false }).check(`${origin}/missing`)).toEqual({ ok: true });
    expect(seen.length).toBe(before);
  });

  it('a host that does not resolve fails', async () => {
    const r = await checker({ resolve: testDns({}) }).check(`http://nowhere.test:${port}/ok`);
    expect(r.ok).toBe(false);
  });

  it('a port nobody listens on fails', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const freePort = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const r = await checker().check(`http://127.0.0.1:${freePort}/ok`);
    expect(r.ok).toBe(false);
  });
});

describe('kla-002 subject check: time', () => {
  it('a host that never answers fails within the timeout', async () => {
    const t0 = performance.now();
    const r = await checker({ timeoutMs: 300 }).check(`${origin}/hang`);
    const elapsed = performance.now() - t0;
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain('300 ms');
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(800);
  });

  it('one deadline covers every hop and DNS', async () => {
    const slowDns = async () => {
      await new Promise((r) => setTimeout(r, 5_000));
      return [{ address: '127.0.0.1', family: 4 }];
    };
    const t0 = performance.now();
    const r = await checker({ timeoutMs: 200, resolve: slowDns }).check(`http://slow-dns.test:${port}/ok`);
    expect(r.ok).toBe(false);
    expect(performance.now() - t0).toBeLessThan(700);
  });

  it('does not download the body: a 200 with an endless body answers at once', async () => {
    const t0 = performance.now();
    expect(await checker({ timeoutMs: 1_000 }).check(`${origin}/endless-body`)).toEqual({ ok: true });
    expect(performance.now() - t0).toBeLessThan(500);
  });
});

describe('kla-002 subject check: redirects', () => {
  it('follows a relative and an absolute redirect to a 200', async () => {
    expect(await checker().check(`${origin}/redirect-relative`)).toEqual({ ok: true });
    expect(await checker().check(`${origin}/redirect-absolute`)).toEqual({ ok: true });
  });

  it('refuses a redirect loop', async () => {
    const r = await checker({ maxRedirects: 10 }).check(`${origin}/loop-a`);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain('kring');
  });

  it('follows at most maxRedirects redirects', async () => {
    // /chain/2 → /chain/1 → /chain/0 → /ok: three redirects.
    expect(await checker({ maxRedirects: 3 }).check(`${origin}/chain/2`)).toEqual({ ok: true });
    const r = await checker({ maxRedirects: 2 }).check(`${origin}/chain/2`);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain('meer dan 2');
    expect((await checker({ maxRedirects: 0 }).check(`${origin}/redirect-relative`)).ok).toBe(false);
  });

  it('checks every hop again: a redirect to ftp: is refused', async () => {
    const r = await checker().check(`${origin}/redirect-ftp`);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain('ftp:');
  });
});

describe('kla-002 subject check: what may be fetched (SSRF guard)', () => {
  it.each(['ftp://127.0.0.1/x', 'file:///etc/passwd', 'javascript:alert(1)', 'data:text/plain,x', 'not a url'])(
    'refuses the non-http URL %s',
    async (value) => {
      const r = await checker().check(value);
      expect(r).toMatchObject({ ok: false, code: 'bad-url' });
    },
  );

  it('refuses loopback by default, without connecting', async () => {
    const before = requestsTo('/ok');
    for (const url of [`${origin}/ok`, `http://localhost:${port}/ok`, `http://[::ffff:127.0.0.1]:${port}/ok`]) {
      const r = await checker({ allowPrivate: false }).check(url);
      expect(r.ok, url).toBe(false);
      if (!r.ok) expect(r.reason).toContain('niet-toegestaan adres');
    }
    expect(requestsTo('/ok')).toBe(before);
  });

  it('allows loopback with allowPrivate', async () => {
    expect(await checker({ allowPrivate: true }).check(`http://localhost:${port}/ok`)).toEqual({ ok: true });
  });

  it('refuses metadata and private addresses a name resolves to', async () => {
    const dns = testDns({ 'meta.test': '169.254.169.254', 'meta6.test': 'fd00:ec2::254', 'intra.test': '10.1.2.3' });
    for (const host of ['meta.test', 'meta6.test', 'intra.test']) {
      const r = await checker({ allowPrivate: false, resolve: dns, timeoutMs: 300 }).check(`http://${host}/x`);
      expect(r.ok, host).toBe(false);
      if (!r.ok) expect(r.reason, host).toContain('niet-toegestaan adres');
    }
  });

  it('refuses a name when any of its addresses is internal', async () => {
    const mixed = async () => [
      { address: '8.8.8.8', family: 4 },
      { address: '127.0.0.1', family: 4 },
    ];
    const r = await checker({ allowPrivate: false, resolve: mixed }).check('http://mixed.test/x');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain('127.0.0.1');
  });

  it('lets an allow-listed host resolve to a private address, but never to an internal one', async () => {
    const dns = testDns({ 'brp.test': '10.255.255.1', 'loop.test': '127.0.0.1' });
    const opts = { allowPrivate: false, resolve: dns, allowHosts: ['brp.test', 'loop.test'], timeoutMs: 200 };
    const brp = await checker(opts).check('http://brp.test/x');
    // Passes the guard; 10.255.255.1 is unreachable here, so it fails on the connection instead.
    expect(brp.ok).toBe(false);
    if (!brp.ok) expect(brp.reason).not.toContain('niet-toegestaan adres');
    const loop = await checker(opts).check(`http://loop.test:${port}/ok`);
    expect(loop.ok).toBe(false);
    if (!loop.ok) expect(loop.reason).toContain('niet-toegestaan adres');
  });

  it('connects to the vetted address, not to what DNS says later (no rebinding)', async () => {
    let calls = 0;
    const rebinding = async () => {
      calls++;
      return [{ address: '127.0.0.1', family: 4 }];
    };
    const r = await checker({ resolve: rebinding }).check(`http://pinned.test:${port}/ok`);
    expect(r).toEqual({ ok: true });
    expect(calls).toBe(1); // the connect did not ask again; the system resolver does not know .test
    expect(seen.at(-1)?.host).toBe(`pinned.test:${port}`);
  });

  it('applies the allow-list to the first and to every redirected hop', async () => {
    const dns = testDns({ 'allowed.test': '127.0.0.1', 'other.test': '127.0.0.1' });
    const opts = { resolve: dns, allowHosts: ['allowed.test'] };
    expect(await checker(opts).check(`http://allowed.test:${port}/ok`)).toEqual({ ok: true });
    const direct = await checker(opts).check(`http://other.test:${port}/ok`);
    expect(direct.ok).toBe(false);
    const before = seen.filter((s) => s.host.startsWith('other.test')).length;
    const hop = await checker(opts).check(`http://allowed.test:${port}/redirect-other-host`);
    expect(hop.ok).toBe(false);
    if (!hop.ok) expect(hop.reason).toContain('other.test');
    expect(seen.filter((s) => s.host.startsWith('other.test')).length).toBe(before);
    expect(await checker({ ...opts, allowHosts: ['*.test'] }).check(`http://allowed.test:${port}/redirect-other-host`)).toEqual({
      ok: true,
    });
  });
});
