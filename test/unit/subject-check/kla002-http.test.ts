// kla-002 over HTTP: the gateway's klant_create (and PATCH of subject) with a real subject host.
// A subject that does not end in 200 is a 400 on `subject` with code bad-url, and the backend
// never sees the write.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../src/simulator/index.ts';
import { startHarness, type Harness } from '../../support/harness.ts';
import { klantBody, LK01, messageCount } from '../../support/write-fixtures.ts';

let subjects: http.Server;
let origin: string;
let status404 = new Set<string>();
let simulator: Simulator;
let h: Harness; // allowPrivate: the subject host is on loopback
let guarded: Harness; // default SSRF guard

beforeAll(async () => {
  subjects = http.createServer((req, res) => {
    const p = req.url ?? '/';
    if (p === '/hang') return;
    if (p === '/loop') return void res.writeHead(302, { location: '/loop2' }).end();
    if (p === '/loop2') return void res.writeHead(302, { location: '/loop' }).end();
    if (p === '/moved') return void res.writeHead(301, { location: '/personen/1' }).end();
    if (/^\/personen\/\d+$/.test(p) && !status404.has(p)) return void res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => subjects.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(subjects.address() as AddressInfo).port}`;
  simulator = await startSimulator({ port: 0, demo: true, seed: 1 });
  h = await startHarness({ sharedSimulator: simulator, config: { subjectCheck: { allowPrivate: true, timeoutMs: 400 } } });
  guarded = await startHarness({ sharedSimulator: simulator });
});

afterAll(async () => {
  await h?.close();
  await guarded?.close();
  await simulator?.stop();
  subjects.closeAllConnections();
  await new Promise<void>((r) => subjects.close(() => r()));
});

const lk01 = () => messageCount(simulator, LK01.natuurlijk_persoon);

async function createWith(harness: Harness, subject: string) {
  const before = lk01();
  const r = await harness.request('POST', '/api/v1/klanten', { body: klantBody('natuurlijk_persoon', { subject }) });
  return { r, backendWrites: lk01() - before };
}

describe('kla-002 on klant_create', () => {
  it('a subject answering 200 (also after a redirect) is accepted', async () => {
    expect((await createWith(h, `${origin}/personen/1`)).r.status).toBe(201);
    expect((await createWith(h, `${origin}/moved`)).r.status).toBe(201);
  });

  it.each([
    ['404', '/personen/onbekend'],
    ['redirect loop', '/loop'],
  ])('%s → 400 bad-url on subject, nothing written', async (_what, p) => {
    const { r, backendWrites } = await createWith(h, `${origin}${p}`);
    expect(r.status).toBe(400);
    expect(r.body.invalidParams).toEqual([{ name: 'subject', code: 'bad-url', reason: expect.any(String) }]);
    expect(backendWrites).toBe(0);
  });

  it('a subject host that never answers → 400 within the timeout', async () => {
    const t0 = performance.now();
    const { r, backendWrites } = await createWith(h, `${origin}/hang`);
    expect(r.status).toBe(400);
    expect(r.body.invalidParams[0]).toMatchObject({ name: 'subject', code: 'bad-url' });
    expect(performance.now() - t0).toBeLessThan(1_500);
    expect(backendWrites).toBe(0);
  });

  it('a non-http subject → 400 on subject', async () => {
    const { r, backendWrites } = await createWith(h, 'ftp://127.0.0.1/personen/1');
    expect(r.status).toBe(400);
    expect(r.body.invalidParams[0]).toMatchObject({ name: 'subject' });
    expect(backendWrites).toBe(0);
  });

  it('with the default SSRF guard a loopback subject is refused without being fetched', async () => {
    const { r } = await createWith(guarded, `${origin}/personen/1`);
    expect(r.status).toBe(400);
    expect(r.body.invalidParams[0]).toMatchObject({ name: 'subject', code: 'bad-url' });
    expect(r.body.invalidParams[0].reason).toContain('niet-toegestaan adres');
  });
});

describe('kla-002 on update', () => {
  it('a changed subject is checked; an unchanged one is not fetched again', async () => {
    const { r: created } = await createWith(h, `${origin}/personen/2`);
    expect(created.status).toBe(201);
    const p = `/api/v1/klanten/${String(created.body.url).split('/').pop()}`;
    const bad = await h.request('PATCH', p, { body: { subject: `${origin}/personen/onbekend` } });
    expect(bad.status).toBe(400);
    expect(bad.body.invalidParams[0]).toMatchObject({ name: 'subject', code: 'bad-url' });
    status404 = new Set(['/personen/2']); // the subject disappeared meanwhile
    const other = await h.request('PATCH', p, { body: { functie: 'mantelzorger' } });
    expect(other.status, other.text).toBe(200);
  });
});
