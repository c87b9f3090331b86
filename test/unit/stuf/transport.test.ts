import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { StufTransportError } from '../../../src/stuf/errors.ts';
import { SoapTransport, type SoapTransportOptions } from '../../../src/stuf/transport.ts';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

interface TestServer {
  url: string;
  server: Server;
  connections: number;
}

async function startServer(handler: Handler): Promise<TestServer> {
  const state = { connections: 0 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handler(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  server.on('connection', () => state.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/stuf/bg?x=1`,
    server,
    get connections() {
      return state.connections;
    },
  };
}

function transport(url: string, extra: Partial<SoapTransportOptions> = {}): SoapTransport {
  const t = new SoapTransport({ endpoint: url, connectTimeoutMs: 1000, maxResponseBytes: 1024 * 1024, connections: 4, ...extra });
  cleanups.push(() => t.close());
  return t;
}

async function transportError(p: Promise<unknown>): Promise<StufTransportError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(StufTransportError);
    return e as StufTransportError;
  }
  throw new Error('expected a StufTransportError');
}

const ACTION = 'http://www.egem.nl/StUF/sector/bg/0310/npsLv01';

describe('SoapTransport', () => {
  it('POSTs SOAP 1.1 with text/xml and a quoted SOAPAction, and returns the answer', async () => {
    let seen: { method?: string; url?: string; type?: string; action?: string; body?: string } = {};
    const s = await startServer((req, res, body) => {
      seen = { method: req.method, url: req.url, type: req.headers['content-type'], action: req.headers.soapaction as string, body };
      res.writeHead(200, { 'content-type': 'text/xml; charset=ISO-8859-1' });
      res.end('<ok/>');
    });
    const res = await transport(s.url).post('<Envelope>é</Envelope>', { soapAction: ACTION, timeoutMs: 2000 });
    expect(seen).toEqual({ method: 'POST', url: '/stuf/bg?x=1', type: 'text/xml; charset=utf-8', action: `"${ACTION}"`, body: '<Envelope>é</Envelope>' });
    expect(res.status).toBe(200);
    expect(res.charset).toBe('iso-8859-1');
    expect(res.body.toString()).toBe('<ok/>');
  });

  it('reuses keep-alive connections', async () => {
    const s = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end('<ok/>');
    });
    const t = transport(s.url);
    for (let i = 0; i < 20; i++) await t.post('<x/>', { soapAction: ACTION, timeoutMs: 2000 });
    // undici may open a second socket while the first still finishes its previous answer
    expect(s.connections).toBeLessThanOrEqual(2);
    await Promise.all(Array.from({ length: 20 }, () => t.post('<x/>', { soapAction: ACTION, timeoutMs: 2000 })));
    expect(s.connections).toBeLessThanOrEqual(4); // the pool size
  });

  it('times out when the server never answers, within the limit', async () => {
    const s = await startServer(() => {
      /* never answers */
    });
    const started = performance.now();
    const err = await transportError(transport(s.url).post('<x/>', { soapAction: ACTION, timeoutMs: 150 }));
    const elapsed = performance.now() - started;
    expect(err.kind).toBe('timeout');
    expect(err.gatewayStatus).toBe(504);
    expect(elapsed).toBeGreaterThanOrEqual(140);
    expect(elapsed).toBeLessThan(1000);
  });

  it('times out when the body trickles in too slowly (the deadline covers the whole answer)', async () => {
    const s = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.write('<a>');
      const timer = setInterval(() => res.write('x'), 20);
      res.on('close', () => clearInterval(timer));
    });
    const err = await transportError(transport(s.url).post('<x/>', { soapAction: ACTION, timeoutMs: 200 }));
    expect(err.kind).toBe('timeout');
  });

  it('stops a 100 MB streaming answer at the cap without reading it all', async () => {
    const total = 100 * 1024 * 1024;
    let written = 0;
    let serverSawClose = false;
    const s = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/xml' });
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      const pump = (): void => {
        while (written < total && !res.destroyed) {
          written += chunk.length;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
        if (written >= total) res.end();
      };
      res.on('close', () => (serverSawClose = true));
      pump();
    });
    const started = performance.now();
    const err = await transportError(transport(s.url, { maxResponseBytes: 1024 * 1024 }).post('<x/>', { soapAction: ACTION, timeoutMs: 10_000 }));
    expect(err.kind).toBe('too_large');
    expect(err.gatewayStatus).toBe(502);
    expect(performance.now() - started).toBeLessThan(2000);
    await new Promise((r) => setTimeout(r, 50));
    expect(serverSawClose).toBe(true); // the socket was closed, not drained
    expect(written).toBeLessThan(total / 4);
  });

  it('refuses an answer whose Content-Length exceeds the cap before reading it', async () => {
    const s = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/xml', 'content-length': String(50 * 1024 * 1024) });
      res.write('<a>'); // and then nothing: waiting for the body would hang
    });
    const err = await transportError(transport(s.url).post('<x/>', { soapAction: ACTION, timeoutMs: 5000 }));
    expect(err.kind).toBe('too_large');
  });

  it('reports connection refused as a connect error', async () => {
    const s = await startServer(() => {});
    const url = s.url;
    await cleanups.pop()!(); // close the server: the port now refuses
    const err = await transportError(transport(url).post('<x/>', { soapAction: ACTION, timeoutMs: 2000 }));
    expect(err.kind).toBe('connect');
    expect(err.gatewayStatus).toBe(502);
  });

  it('reports a connection dropped mid-answer as a network error', async () => {
    const s = await startServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/xml', 'content-length': '1000' });
      res.write('<a>');
      setTimeout(() => req.socket.destroy(), 20);
    });
    const err = await transportError(transport(s.url).post('<x/>', { soapAction: ACTION, timeoutMs: 2000 }));
    expect(err.kind).toBe('network');
  });

  it.each([
    [503, 'text/html', '<html>down</html>'],
    [404, 'text/plain', 'not found'],
    [502, '', ''],
  ])('turns HTTP %i (%s) into http_status', async (status, type, body) => {
    const s = await startServer((_req, res) => {
      res.writeHead(status, type ? { 'content-type': type } : {});
      res.end(body);
    });
    const err = await transportError(transport(s.url).post('<x/>', { soapAction: ACTION, timeoutMs: 2000 }));
    expect(err.kind).toBe('http_status');
    expect(err.httpStatus).toBe(status);
    expect(err.detail).not.toContain('<');
  });

  it('returns XML answers of any status (SOAP faults arrive with 500)', async () => {
    const s = await startServer((_req, res) => {
      res.writeHead(500, { 'content-type': 'text/xml; charset=utf-8' });
      res.end('<fault/>');
    });
    const res = await transport(s.url).post('<x/>', { soapAction: ACTION, timeoutMs: 2000 });
    expect(res.status).toBe(500);
    expect(res.body.toString()).toBe('<fault/>');
  });

  it('honours the caller’s AbortSignal, before and during the call', async () => {
    const s = await startServer(() => {});
    const t = transport(s.url);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = performance.now();
    const err = await transportError(t.post('<x/>', { soapAction: ACTION, timeoutMs: 5000, signal: controller.signal }));
    expect(err.kind).toBe('aborted');
    expect(performance.now() - started).toBeLessThan(1000);
    const again = await transportError(t.post('<x/>', { soapAction: ACTION, timeoutMs: 5000, signal: controller.signal }));
    expect(again.kind).toBe('aborted');
  });

  it('refuses a non-http endpoint', () => {
    expect(() => new SoapTransport({ endpoint: 'ftp://x/', connectTimeoutMs: 1, maxResponseBytes: 1, connections: 1 })).toThrow(TypeError);
  });
});
