import { request } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FOUTCODE, startSimulator, type Simulator } from '../../../src/simulator/index.ts';
import { NS } from '../../../src/stuf/xml-node.ts';
import { StufXsdValidator } from '../../../src/stuf/xsd-validator.ts';
import { lk, lv01, post, textOf } from './stuf-fixtures.ts';

const validator = new StufXsdValidator();

/** Raw POST: status, body bytes received, and whether the connection broke. */
function rawPost(url: string, body: string): Promise<{ status?: number; bytes: number; error?: string; text: string }> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'text/xml; charset=utf-8' }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      res.on('data', (c: Buffer) => {
        bytes += c.length;
        if (bytes < 1_000_000) chunks.push(c);
      });
      res.on('end', () => resolve({ status: res.statusCode, bytes, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (e) => resolve({ status: res.statusCode, bytes, error: e.message, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ bytes: 0, error: e.code ?? e.message, text: '' }));
    req.end(body);
  });
}

describe('simulator fault injection', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 11 });
  });
  beforeEach(() => sim.reset());
  afterAll(() => sim.stop());

  it('adds latency (+jitter) and answers slowly on "slow"', async () => {
    sim.setFault({ type: 'latency', ms: 80, jitterMs: 20 });
    let t = performance.now();
    expect((await post(sim.url, lv01('NPS', {}))).status).toBe(200);
    const elapsed = performance.now() - t;
    expect(elapsed).toBeGreaterThanOrEqual(78);
    expect(elapsed).toBeLessThan(1000);

    sim.clearFaults();
    sim.setFault({ type: 'slow', ms: 150, messages: ['nnpLv01'] });
    t = performance.now();
    await post(sim.url, lv01('NPS', {}));
    expect(performance.now() - t).toBeLessThan(100);
    t = performance.now();
    await post(sim.url, lv01('NNP', {}));
    expect(performance.now() - t).toBeGreaterThanOrEqual(148);
    expect(sim.stats().faultsInjected.slow).toBe(1);
  });

  it('"down" resets connections, or refuses them until it is cleared or its time is up', async () => {
    sim.setFault({ type: 'down' });
    const reset = await rawPost(sim.url, lv01('NPS', {}));
    expect(reset.status).toBeUndefined();
    expect(reset.error).toBeDefined();
    expect(sim.messages().at(-1)).toMatchObject({ element: 'npsLv01', valid: true, answer: 'down:reset' });
    // the admin endpoint still works while the SOAP endpoint is down
    expect((await fetch(`${sim.adminUrl}/stats`)).status).toBe(200);
    sim.clearFaults();
    expect((await rawPost(sim.url, lv01('NPS', {}))).status).toBe(200);

    sim.setFault({ type: 'down', mode: 'refuse' });
    expect((await rawPost(sim.url, lv01('NPS', {}))).error).toBe('ECONNREFUSED');
    expect(sim.stats().down).toBe(true);
    sim.clearFaults();
    expect((await rawPost(sim.url, lv01('NPS', {}))).status).toBe(200);

    sim.setFault({ type: 'down', mode: 'refuse', forMs: 100 });
    expect((await rawPost(sim.url, lv01('NPS', {}))).error).toBe('ECONNREFUSED');
    await new Promise((r) => setTimeout(r, 200));
    expect((await rawPost(sim.url, lv01('NPS', {}))).status).toBe(200);
    expect(sim.stats().faults).toEqual([]);
  });

  it('"fo02" answers a StUF error instead of processing, for a share, some messages, or N times', async () => {
    sim.setFault({ type: 'fo02', times: 2 });
    const before = sim.stats().objects.NPS;
    const t = await post(sim.url, lk('NPS', 'T', [{ verwerkingssoort: 'T', inner: '<BG:inp.bsn>111222333</BG:inp.bsn>' }]));
    expect(t.status).toBe(500);
    expect(validator.validate(t.body)).toMatchObject({ valid: true, element: 'Fo03Bericht' });
    expect(textOf(t.body, 'code')).toBe(FOUTCODE.processing);
    expect(sim.stats().objects.NPS).toBe(before); // not processed
    const q = await post(sim.url, lv01('NPS', {}));
    expect(validator.validate(q.body)).toMatchObject({ valid: true, element: 'Fo02Bericht' });
    expect(q.body).toContain('<faultcode>soap:Server</faultcode>');
    expect((await post(sim.url, lv01('NPS', {}))).status).toBe(200); // times: 2 used up
    expect(sim.stats().faults).toEqual([]);

    sim.setFault({ type: 'fo02', share: 0.5, code: 'StUF999' });
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) statuses.push((await post(sim.url, lv01('VES', {}))).status);
    const failed = statuses.filter((s) => s === 500).length;
    expect(failed).toBeGreaterThan(10);
    expect(failed).toBeLessThan(50);
    expect(sim.stats().faultsInjected.fo02).toBe(2 + failed);
  });

  it('"garbage" answers non-StUF bodies', async () => {
    const cases = [
      ['text', (r: Awaited<ReturnType<typeof rawPost>>) => expect(r.text).toMatch(/unavailable/)],
      ['html', (r: Awaited<ReturnType<typeof rawPost>>) => expect(r.status).toBe(502)],
      ['empty', (r: Awaited<ReturnType<typeof rawPost>>) => expect(r.bytes).toBe(0)],
      ['truncated', (r: Awaited<ReturnType<typeof rawPost>>) => expect(validator.validate(r.text).errors[0]).toMatch(/not well-formed/)],
      ['cut', (r: Awaited<ReturnType<typeof rawPost>>) => expect(r.error).toBeDefined()],
    ] as const;
    for (const [kind, check] of cases) {
      sim.setFault({ type: 'garbage', kind });
      const r = await rawPost(sim.url, lv01('NPS', {}));
      check(r);
      expect(sim.messages().at(-1)?.answer).toBe(`garbage:${kind}`);
    }
  });

  it('"hostile" sends XML bombs, a huge streamed body, deep nesting and wrong namespaces', async () => {
    sim.setFault({ type: 'hostile', kind: 'billion-laughs' });
    let r = await rawPost(sim.url, lv01('NPS', {}));
    expect(r.text).toContain('<!ENTITY lol9');
    expect(r.bytes).toBeLessThan(10_000);

    sim.setFault({ type: 'hostile', kind: 'doctype' });
    r = await rawPost(sim.url, lv01('NPS', {}));
    expect(r.text).toContain('SYSTEM "file:///etc/passwd"');

    sim.setFault({ type: 'hostile', kind: 'huge', sizeMb: 8 });
    r = await rawPost(sim.url, lv01('NPS', {}));
    expect(r.status).toBe(200);
    expect(r.bytes).toBeGreaterThan(8 * 1024 * 1024);

    sim.setFault({ type: 'hostile', kind: 'deep' });
    r = await rawPost(sim.url, lv01('NPS', {}));
    expect(r.text).toContain('<a><a><a>');

    sim.setFault({ type: 'hostile', kind: 'wrong-namespace' });
    r = await rawPost(sim.url, lv01('NPS', { key: sim.objects('NPS')[0]?.key }));
    expect(r.text).toContain('http://www.egem.nl/StUF/sector/bg/0204');
    expect(r.text).not.toContain(NS.bg);
    expect(r.text).toContain(sim.objects('NPS')[0]?.key);
  });

  it('stops streaming the huge body when the client goes away', async () => {
    sim.setFault({ type: 'hostile', kind: 'huge', sizeMb: 1024 });
    await new Promise<void>((resolve) => {
      const req = request(sim.url, { method: 'POST', agent: false }, (res) => {
        let n = 0;
        res.on('data', (c: Buffer) => {
          n += c.length;
          if (n > 1024 * 1024) req.destroy();
        });
        res.on('close', () => resolve());
      });
      req.on('error', () => resolve());
      req.end(lv01('NPS', {}));
    });
    sim.clearFaults();
    // the simulator is still responsive
    expect((await post(sim.url, lv01('NPS', {}))).status).toBe(200);
  });
});
