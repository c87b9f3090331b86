import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { StufClient, type StufCallEvent, type StufClientOptions } from '../../../src/stuf/client.ts';
import { StufFault, StufProtocolError, StufTransportError } from '../../../src/stuf/errors.ts';
import { NS, attrValue, el, textEl } from '../../../src/stuf/xml-node.ts';
import { StufXsdValidator } from '../../../src/stuf/xsd-validator.ts';
import { DECLS, ENTITIES, npsLa01 } from './fixtures.ts';

interface Received {
  action: string;
  body: string;
  valid: boolean;
  errors: string[];
}

type Reply = (req: IncomingMessage, res: ServerResponse, body: string) => void;

let validator: StufXsdValidator;
let url = '';
let reply: Reply = () => {};
const received: Received[] = [];
let server: ReturnType<typeof createServer>;

beforeAll(async () => {
  validator = new StufXsdValidator();
  validator.warmUp();
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const v = validator.validate(body); // what really went over the wire must be valid StUF
      received.push({ action: String(req.headers.soapaction), body, valid: v.valid, errors: v.errors });
      reply(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/stuf`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  validator.dispose();
});

const clients: StufClient[] = [];
afterEach(async () => {
  received.length = 0;
  reply = () => {};
  while (clients.length) await clients.pop()!.close();
});

function makeClient(extra: Partial<StufClientOptions> = {}): { client: StufClient; events: StufCallEvent[] } {
  const events: StufCallEvent[] = [];
  const client = new StufClient({
    endpoint: url,
    zender: { organisatie: 'Gemeente', applicatie: 'klantbrug' },
    ontvanger: { applicatie: 'BRP-koppeling' },
    connectTimeoutMs: 1000,
    questionTimeoutMs: 3000,
    kennisgevingTimeoutMs: 3000,
    maxResponseBytes: 5 * 1024 * 1024,
    connections: 2,
    onCall: (e) => events.push(e),
    ...extra,
  });
  clients.push(client);
  return { client, events };
}

const answer =
  (status: number, xml: string, type = 'text/xml; charset=utf-8'): Reply =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': type });
    res.end(xml);
  };

const nps = ENTITIES[0]!;
const question = (extra: object = {}) => ({
  namespace: NS.bg,
  messageName: 'npsLv01',
  entiteittype: 'NPS',
  sortering: 1,
  indicatorVervolgvraag: false,
  maximumAantal: 10,
  gelijk: nps.gelijk,
  scope: nps.scope,
  ...extra,
});

const env = (body: string): string => `<s:Envelope xmlns:s="${NS.soap11}"><s:Body>${body}</s:Body></s:Envelope>`;
const fo02 =
  `<StUF:Fo02Bericht xmlns:StUF="${NS.stuf}"><StUF:stuurgegevens><StUF:berichtcode>Fo02</StUF:berichtcode></StUF:stuurgegevens>` +
  `<StUF:body><StUF:code>StUF058</StUF:code><StUF:plek>server</StUF:plek><StUF:omschrijving>Niet gevonden</StUF:omschrijving></StUF:body></StUF:Fo02Bericht>`;

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to fail');
}

describe('StufClient.question', () => {
  it('sends a valid npsLv01 with SOAPAction and stuurgegevens, and reads the La01', async () => {
    reply = answer(200, npsLa01(2, true));
    const { client, events } = makeClient();
    const result = await client.question({ ...question(), correlationId: 'req-123' });

    expect(received).toHaveLength(1);
    expect(received[0]!.errors).toEqual([]);
    expect(received[0]!.action).toBe(`"${NS.bg}/npsLv01"`);
    expect(received[0]!.body).toContain('<StUF:applicatie>klantbrug</StUF:applicatie>');
    expect(received[0]!.body).toMatch(/<StUF:tijdstipBericht>\d{17}<\/StUF:tijdstipBericht>/);
    expect(received[0]!.body).toContain(`<StUF:referentienummer>${result.referentienummer}</StUF:referentienummer>`);

    expect(result.referentienummer).toMatch(/^req-123-[0-9a-z]{7}$/);
    expect(result.objects.map((o) => attrValue(o, 'sleutelVerzendend'))).toEqual(['1000', '1001']);
    expect(result.indicatorVervolgvraag).toBe(true);

    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'question', messageName: 'npsLv01', namespace: NS.bg, outcome: 'ok', objects: 2, httpStatus: 200, correlationId: 'req-123', referentienummer: result.referentienummer });
    expect(events[0]!.durationMs).toBeGreaterThan(0);
  });

  it('asks a valid follow-up question with the last answered object as start', async () => {
    reply = answer(200, npsLa01(3, true));
    const { client } = makeClient();
    const first = await client.question(question());
    reply = answer(200, npsLa01(0));
    const next = await client.question(question({ indicatorVervolgvraag: true, start: first.objects.at(-1) }));
    expect(next.objects).toEqual([]);
    expect(received[1]!.errors).toEqual([]);
    expect(received[1]!.body).toContain('<BG:start><BG:object StUF:entiteittype="NPS" StUF:sleutelVerzendend="1002">');
    expect(received[0]!.body).not.toBe(received[1]!.body);
  });

  it('gives every call its own referentienummer', async () => {
    reply = answer(200, npsLa01(0));
    const { client } = makeClient();
    const refs = await Promise.all(Array.from({ length: 10 }, () => client.question({ ...question(), correlationId: 'same' })));
    expect(new Set(refs.map((r) => r.referentienummer)).size).toBe(10);
  });

  it('throws StufFault for a Fo02 in a 500 SOAP fault, with the call context', async () => {
    reply = answer(500, env(`<s:Fault><faultcode>s:Server</faultcode><faultstring>fout</faultstring><detail>${fo02}</detail></s:Fault>`));
    const { client, events } = makeClient();
    const err = await rejection(client.question({ ...question(), correlationId: 'c-1' }));
    expect(err).toBeInstanceOf(StufFault);
    const f = err as StufFault;
    expect([f.berichtcode, f.foutcode, f.omschrijving]).toEqual(['Fo02', 'StUF058', 'Niet gevonden']);
    expect(f.messageName).toBe('npsLv01');
    expect(f.referentienummer).toMatch(/^c-1-/);
    expect(events[0]).toMatchObject({ outcome: 'fault', httpStatus: 500 });
    expect(events[0]!.error).toBe(err);
  });

  it('throws StufFault for a Fo02 sent with 200 directly in the Body', async () => {
    reply = answer(200, env(fo02));
    const { client } = makeClient();
    expect(await rejection(client.question(question()))).toBeInstanceOf(StufFault);
  });

  it.each([
    ['500 with an HTML page', 500, '<html><body>Internal error</body></html>', 'text/html', 'http_status'],
    ['500 with XML that is not a fault', 500, npsLa01(1), 'text/xml', 'http_status'],
    ['500 with broken XML', 500, '<s:Envelope', 'text/xml', 'http_status'],
  ])('%s → StufTransportError %s', async (_name, status, body, type, kind) => {
    reply = answer(status, body, type);
    const { client, events } = makeClient();
    const err = await rejection(client.question(question()));
    expect(err).toBeInstanceOf(StufTransportError);
    expect((err as StufTransportError).kind).toBe(kind);
    expect((err as StufTransportError).httpStatus).toBe(status);
    expect(events[0]!.outcome).toBe(kind);
  });

  it.each([
    ['an La01 in the wrong namespace', env(`<BG:npsLa01 xmlns:BG="${NS.zkn}"/>`), 'wrong_namespace'],
    ['an unexpected answer', env(`<BG:nnpLa01 ${DECLS}/>`), 'unexpected_answer'],
    ['entity expansion', `<!DOCTYPE a [<!ENTITY x "y">]>${env('')}`, 'doctype'],
    ['a truncated answer', npsLa01(2).slice(0, 500), 'malformed'],
  ])('%s → StufProtocolError %s', async (_name, body, reason) => {
    reply = answer(200, body);
    const { client, events } = makeClient();
    const err = await rejection(client.question(question()));
    expect(err).toBeInstanceOf(StufProtocolError);
    expect((err as StufProtocolError).reason).toBe(reason);
    expect((err as StufProtocolError).gatewayStatus).toBe(502);
    expect(events[0]!.outcome).toBe('protocol');
  });

  it('uses questionTimeoutMs unless the call overrides it', async () => {
    reply = () => {}; // never answers
    const { client } = makeClient({ questionTimeoutMs: 150 });
    let started = performance.now();
    const err = await rejection(client.question(question()));
    expect((err as StufTransportError).kind).toBe('timeout');
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);

    // A per-call override far below the default: it must be the one that fires.
    const { client: slowDefault } = makeClient({ questionTimeoutMs: 5_000 });
    started = performance.now();
    const err2 = await rejection(slowDefault.question({ ...question(), timeoutMs: 50 }));
    expect((err2 as StufTransportError).kind).toBe('timeout');
    expect(performance.now() - started).toBeLessThan(2_500);
  });

  it('does not send a message that fails validateOutgoing', async () => {
    const { client, events } = makeClient({ validateOutgoing: validator });
    const badGelijk = el(NS.bg, 'object', [textEl(NS.bg, 'klantnummer', 'K-1')]); // not an NPS element
    const err = await rejection(client.question(question({ gelijk: badGelijk })));
    expect(err).toBeInstanceOf(StufProtocolError);
    expect((err as StufProtocolError).reason).toBe('invalid_outgoing');
    expect((err as StufProtocolError).detail).not.toContain('K-1');
    expect((err as StufProtocolError).diagnostics?.length).toBeGreaterThan(0);
    expect(received).toHaveLength(0);
    expect(events[0]!.outcome).toBe('protocol');
  });

  it('sends valid messages when validateOutgoing is on', async () => {
    reply = answer(200, npsLa01(1));
    const { client } = makeClient({ validateOutgoing: validator });
    expect((await client.question(question())).objects).toHaveLength(1);
  });

  it('ignores an observer that throws', async () => {
    reply = answer(200, npsLa01(1));
    const { client } = makeClient({
      onCall: () => {
        throw new Error('observer bug');
      },
    });
    expect((await client.question(question())).objects).toHaveLength(1);
  });

  it('refuses a zender the XSD would refuse', () => {
    expect(() => makeClient({ zender: { applicatie: 'x' } })).toThrow(RangeError);
  });
});

describe('StufClient.kennisgeving', () => {
  const bv = (code: string): string =>
    env(`<StUF:${code}Bericht xmlns:StUF="${NS.stuf}"><StUF:stuurgegevens><StUF:berichtcode>${code}</StUF:berichtcode></StUF:stuurgegevens></StUF:${code}Bericht>`);

  it.each([
    ['npsLk01', 'Bv03'],
    ['npsLk02', 'Bv02'],
  ])('sends a valid %s W pair and reads the %s', async (messageName, code) => {
    reply = answer(200, bv(code));
    const { client, events } = makeClient();
    const result = await client.kennisgeving({
      namespace: NS.bg,
      messageName,
      entiteittype: 'NPS',
      mutatiesoort: 'W',
      objects: nps.kennisgeving('W'),
      correlationId: 'k-1',
    });
    expect(result.berichtcode).toBe(code);
    expect(result.referentienummer).toMatch(/^k-1-/);
    expect(received[0]!.errors).toEqual([]);
    expect(received[0]!.action).toBe(`"${NS.bg}/${messageName}"`);
    expect(events[0]).toMatchObject({ kind: 'kennisgeving', outcome: 'ok' });
    expect(events[0]!.objects).toBeUndefined();
  });

  it('throws StufFault for a Fo03', async () => {
    const fo03 = fo02.replaceAll('Fo02', 'Fo03');
    reply = answer(500, env(`<s:Fault><faultcode>s:Client</faultcode><faultstring>x</faultstring><detail>${fo03}</detail></s:Fault>`));
    const { client } = makeClient();
    const err = await rejection(client.kennisgeving({ namespace: NS.bg, messageName: 'npsLk01', entiteittype: 'NPS', mutatiesoort: 'T', objects: [nps.kennisgeving('T')[1]] }));
    expect((err as StufFault).berichtcode).toBe('Fo03');
  });

  it('uses kennisgevingTimeoutMs', async () => {
    reply = () => {};
    const { client } = makeClient({ kennisgevingTimeoutMs: 100, questionTimeoutMs: 10_000 });
    const started = performance.now();
    const err = await rejection(client.kennisgeving({ namespace: NS.bg, messageName: 'npsLk01', entiteittype: 'NPS', mutatiesoort: 'V', objects: [nps.kennisgeving('V')[0]] }));
    expect((err as StufTransportError).kind).toBe('timeout');
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
