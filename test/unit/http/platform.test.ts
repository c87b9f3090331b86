import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '../../../src/auth/jwt.ts';
import { BODY_LIMIT, CLIENT, startTestApp } from './test-app.ts';
import type { TestApp } from './test-app.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ origins: ['https://app.example.nl'] });
});
afterAll(() => app.close());

const UUID4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

async function problem(res: Response, status: number, code: string): Promise<Record<string, unknown>> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  expect(res.headers.get('api-version')).toBe('1.0.0');
  expect(res.headers.get('cache-control')).toBe('no-store');
  const body = (await res.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ code, status });
  expect(Object.keys(body).slice(0, 6)).toEqual(['type', 'code', 'title', 'status', 'detail', 'instance']);
  expect(body['type']).toBe(`urn:klantbrug:fout:${code}`);
  expect(String(body['title']).length).toBeGreaterThan(0);
  expect(String(body['detail']).length).toBeGreaterThan(0);
  expect(String(body['instance'])).toMatch(/^urn:uuid:/);
  expect(String(body['instance']).slice('urn:uuid:'.length)).toMatch(UUID4);
  return body;
}

const token = () => signToken(CLIENT.clientId, CLIENT.secret);

describe('headers on every response', () => {
  it('success: API-version, request id, security headers, no X-Powered-By', async () => {
    const res = await fetch(`${app.base}/ping`);
    expect(res.status).toBe(200);
    expect(res.headers.get('api-version')).toBe('1.0.0');
    expect(res.headers.get('x-request-id')).toMatch(UUID4);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-powered-by')).toBeNull();
    expect(res.headers.get('etag')).toBeNull();
  });

  it('echoes a sane X-Request-ID and replaces an unsafe one', async () => {
    const sane = await fetch(`${app.base}/ping`, { headers: { 'X-Request-ID': 'abc-123.def:4' } });
    expect(sane.headers.get('x-request-id')).toBe('abc-123.def:4');
    for (const bad of ['has space', 'x'.repeat(129), '<script>', '-leading-dash']) {
      const res = await fetch(`${app.base}/ping`, { headers: { 'X-Request-ID': bad } });
      expect(res.headers.get('x-request-id')).toMatch(UUID4);
    }
  });
});

describe('problem responses', () => {
  it('404 for an unknown path, with API-version and the request id', async () => {
    const res = await fetch(`${app.base}/nope`, { headers: { 'X-Request-ID': 'req-404' } });
    await problem(res, 404, 'not_found');
    expect(res.headers.get('x-request-id')).toBe('req-404');
  });

  it('404 for a trailing slash instead of a redirect', async () => {
    const res = await fetch(`${app.base}/ping/`, { redirect: 'manual' });
    await problem(res, 404, 'not_found');
  });

  it('400 with invalidParams for a validation error', async () => {
    const body = await problem(await fetch(`${app.base}/teapot`), 400, 'invalid');
    expect(body['invalidParams']).toEqual([{ name: 'adres.postcode', code: 'invalid', reason: 'Geen geldige postcode.' }]);
  });

  it('500 for an unknown error: generic body, details only in the log', async () => {
    const res = await fetch(`${app.base}/boom`);
    const body = await problem(res, 500, 'error');
    const text = JSON.stringify(body);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('at ');
    const logged = app.logLines.find((l) => l['msg'] === 'unhandled error' && l['instance'] === body['instance']);
    expect(JSON.stringify(logged)).toContain('hunter2');
  });

  it('400 for an undecodable path parameter (an Express error, not a 500)', async () => {
    await problem(await fetch(`${app.base}/secure/%E0%A4%A`), 400, 'invalid');
  });

  it('406 when the client accepts no JSON', async () => {
    await problem(await fetch(`${app.base}/json-only`, { headers: { Accept: 'text/html' } }), 406, 'not_acceptable');
    expect((await fetch(`${app.base}/json-only`, { headers: { Accept: 'application/*' } })).status).toBe(200);
  });
});

describe('JSON bodies', () => {
  const post = (body: string | Uint8Array, headers: Record<string, string> = { 'Content-Type': 'application/json' }) =>
    fetch(`${app.base}/echo`, { method: 'POST', body, headers });

  it('parses JSON (also +json media types)', async () => {
    const res = await post('{"a":[1,2]}');
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ got: { a: [1, 2] } });
    expect((await post('{"a":1}', { 'Content-Type': 'application/merge-patch+json; charset=utf-8' })).status).toBe(201);
  });

  it('400 parse_error with nonFieldErrors for malformed JSON', async () => {
    const body = await problem(await post('{"a":'), 400, 'parse_error');
    expect(body['invalidParams']).toEqual([expect.objectContaining({ name: 'nonFieldErrors', code: 'parse_error' })]);
  });

  it('413 above the body limit', async () => {
    await problem(await post(JSON.stringify({ pad: 'x'.repeat(BODY_LIMIT) })), 413, 'payload_too_large');
  });

  it('415 for a non-JSON content type, or a body without one', async () => {
    await problem(await post('a=1', { 'Content-Type': 'application/x-www-form-urlencoded' }), 415, 'unsupported_media_type');
    await problem(await post(new TextEncoder().encode('{"a":1}'), {}), 415, 'unsupported_media_type');
    await problem(await post('{}', { 'Content-Type': 'application/json; charset=latin1' }), 415, 'unsupported_media_type');
  });
});

describe('authentication and authorization in Express', () => {
  it('401 without a token, with WWW-Authenticate', async () => {
    const res = await fetch(`${app.base}/secure/1`);
    await problem(res, 401, 'not_authenticated');
    expect(res.headers.get('www-authenticate')).toContain('Bearer');
  });

  it('401 with the failure code for a bad token', async () => {
    const bad = signToken(CLIENT.clientId, 'not-the-secret');
    await problem(await fetch(`${app.base}/secure/1`, { headers: { Authorization: `Bearer ${bad}` } }), 401, 'bad_signature');
  });

  it('200 with the scope, 403 without it', async () => {
    const ok = await fetch(`${app.base}/secure/1`, { headers: { Authorization: `Bearer ${token()}` } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ clientId: 'tester' });
    const denied = await fetch(`${app.base}/secure/1`, { method: 'DELETE', headers: { Authorization: `Bearer ${token()}` } });
    await problem(denied, 403, 'permission_denied');
  });
});

describe('request log', () => {
  it('one line per request with route, status, duration, request id, client id — and no personal data', async () => {
    const t = token();
    await fetch(`${app.base}/secure/123456782?subjectIdentificatie__inpBsn=999993653`, {
      headers: { Authorization: `Bearer ${t}`, 'X-Request-ID': 'log-check-1' },
    });
    await new Promise((r) => setTimeout(r, 20));
    const line = app.logLines.find((l) => l['requestId'] === 'log-check-1' && l['msg'] === 'request');
    expect(line).toMatchObject({
      level: 'info',
      method: 'GET',
      route: '/secure/:id',
      status: 200,
      clientId: 'tester',
      queryKeys: ['subjectIdentificatie__inpBsn'],
    });
    expect(typeof line?.['durationMs']).toBe('number');
    const all = JSON.stringify(app.logLines);
    expect(all).not.toContain('999993653');
    expect(all).not.toContain('123456782');
    expect(all).not.toContain(t);
  });

  it('logs the problem code and instance of a failed request', async () => {
    const res = await fetch(`${app.base}/nope`, { headers: { 'X-Request-ID': 'log-check-2' } });
    const body = (await res.json()) as Record<string, unknown>;
    await new Promise((r) => setTimeout(r, 20));
    const line = app.logLines.find((l) => l['requestId'] === 'log-check-2');
    expect(line).toMatchObject({ status: 404, problem: 'not_found', instance: body['instance'] });
  });
});

describe('CORS', () => {
  it('allows configured origins only, and answers preflights', async () => {
    const allowed = await fetch(`${app.base}/ping`, { headers: { Origin: 'https://app.example.nl' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.nl');
    expect(allowed.headers.get('access-control-expose-headers')).toContain('API-version');
    const other = await fetch(`${app.base}/ping`, { headers: { Origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(`${app.base}/secure/1`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://app.example.nl', 'Access-Control-Request-Method': 'GET' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('Authorization');
  });
});

describe('rate limiting', () => {
  it('429 throttled with Retry-After once the burst is used', async () => {
    const limited = await startTestApp({ perClientPerMinute: 60 });
    try {
      const headers = { Authorization: `Bearer ${token()}` };
      expect((await fetch(`${limited.base}/secure/1`, { headers })).status).toBe(200);
      expect((await fetch(`${limited.base}/secure/1`, { headers })).status).toBe(200);
      const res = await fetch(`${limited.base}/secure/1`, { headers });
      await problem(res, 429, 'throttled');
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    } finally {
      await limited.close();
    }
  });
});
