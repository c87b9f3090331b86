// The embedded StUF backend simulator: a separate SOAP server on its own port that the gateway
// reaches over HTTP only. It serves each StUF sector of sectors.ts on its own endpoint, as the
// separate systems they are in a gemeente (StUF-BG 03.10 NPS/NNP/VES on /StUF/bg0310, StUF-ZKN
// 03.10 CTP on /StUF/zkn0310); one process, one store. startSimulator() wires the parts:
//   soap-binding  WSDL per endpoint (served at ?wsdl by the soap package) and its SOAPAction table
//   engine        per endpoint: XSD validation of every message, La01/Bv0x/Fo0x answers from the store
//   store         objects per entity as StUF element data (+ optional file snapshot)
//   faults        latency and fault injection;  admin  the /__admin JSON endpoint
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SCHEMA_DIR } from '../stuf/xsd-validator.ts';
import type { XmlNode } from '../stuf/xml-node.ts';
import { handleAdmin } from './admin.ts';
import { DEFAULT_DEMO_COUNT, demoSnapshot } from './demo/demo-data.ts';
import { seededRandom } from './demo/prng.ts';
import { StufEngine, type Received } from './engine.ts';
import { ENTITY_CODES, type EntityCode } from './entity-model.ts';
import { SECTOR_NAMES, SECTORS, type SectorName } from './sectors.ts';
import { writeGarbage, writeHostile } from './fault-responses.ts';
import { FaultState, faultLabel, type Fault } from './faults.ts';
import { FOUTCODE, StufFout } from './fout.ts';
import { MessageLog, type MessageStats, type RecordedMessage } from './message-log.ts';
import { readSnapshot, writeSnapshot } from './snapshot.ts';
import { attachSoap, type SoapBinding } from './soap-binding.ts';
import { emptySeq, ObjectStore, type StoreSnapshot } from './store.ts';
import { foutbericht, objectXml, type AnswerContext, type SystemIdentity } from './stuf-messages.ts';
import { simulatorValidator } from './validator.ts';
import { cloneNode } from './xml.ts';
import { sectorOf } from './sectors.ts';

const sectorOfEntity = (entity: EntityCode): string => sectorOf(entity).namespace;

export interface SimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Base latency of every answer (default 0), plus up to jitterMs of random extra. */
  latencyMs?: number;
  jitterMs?: number;
  /** Start with the deterministic demo klanten (default true) when no snapshot file exists. */
  demo?: boolean;
  /** Seed of the demo data and of fault sampling (default 1). */
  seed?: number;
  /** Number of demo klanten (default 270). */
  demoCount?: number;
  /** Load the store from this file at start (when it exists) and write it on every change and at stop. */
  snapshotFile?: string;
  /**
   * The sectors served, each on its own endpoint, set up at start. Default: both, StUF-BG set up at
   * start and StUF-ZKN on its first request (its WSDL and schemas cost ~0.3–0.6 s that callers
   * using only StUF-BG should not pay).
   */
  sectors?: SectorName[];
  /** StUF-BG endpoint path (default /StUF/bg0310). */
  path?: string;
  /** StUF-ZKN endpoint path (default /StUF/zkn0310). */
  zknPath?: string;
  /** Largest accepted request body (default 8 MiB); larger is answered 413 + Fo02 and the connection closed. */
  maxBodyBytes?: number;
  /** How many incoming messages to keep for messages() (default 1000). */
  recordMessages?: number;
  identity?: SystemIdentity;
}

export interface SimulatorStats {
  requests: MessageStats;
  /** How often each fault fired (latency, slow, fo02, garbage:text, hostile:huge, down:reset, ...). */
  faultsInjected: Record<string, number>;
  faults: Fault[];
  objects: Record<EntityCode, number>;
  down: boolean;
}

export interface SimObject {
  entity: EntityCode;
  key: string;
  /** The BG:object element as the simulator answers it with scope "alles" (namespaces declared). */
  xml: string;
  /** A copy of the object element (children in schema order). */
  element: XmlNode;
}

export interface Simulator {
  /** The StUF-BG SOAP endpoint (the first served sector's when BG is not served). */
  readonly url: string;
  /** The SOAP endpoint of every served sector. */
  readonly urls: Readonly<Partial<Record<SectorName, string>>>;
  readonly wsdlUrl: string;
  readonly adminUrl: string;
  readonly port: number;
  /** The endpoint whose messages are in this sector namespace (undefined: not served). */
  endpointFor(namespace: string): string | undefined;
  stats(): SimulatorStats;
  /** The last recorded incoming messages (oldest first) with their XSD verdict. */
  messages(): RecordedMessage[];
  /** Activate a fault (validated; throws on an invalid spec). Replaces one of the same type. */
  setFault(f: Fault): void;
  clearFaults(): void;
  objects(entity: EntityCode): SimObject[];
  /** Back to the start state: start content, no faults, empty message log and counters. */
  reset(): void;
  stop(): Promise<void>;
}

interface Endpoint {
  soap: SoapBinding;
  engine: StufEngine;
}

const DEFAULT_IDENTITY: SystemIdentity = { organisatie: 'Gemeente Simulatie', applicatie: 'StUF-BG simulator' };
const XML_TYPE = 'text/xml; charset=utf-8';

export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const sectors = SECTOR_NAMES.filter((n) => (opts.sectors ?? SECTOR_NAMES).includes(n));
  if (sectors.length === 0) throw new Error('the simulator must serve at least one sector');
  const paths: Record<SectorName, string> = {
    bg: normalizePath(opts.path ?? SECTORS.bg.defaultPath),
    zkn: normalizePath(opts.zknPath ?? SECTORS.zkn.defaultPath),
  };
  if (paths.bg === paths.zkn) throw new Error(`the StUF-BG and StUF-ZKN endpoints need different paths (${paths.bg})`);
  const host = opts.host ?? '127.0.0.1';
  const eager = sectors.filter((n) => opts.sectors !== undefined || n === 'bg');
  const validator = simulatorValidator(eager);
  const store = new ObjectStore();
  const initial = initialContent(opts);
  store.load(initial);

  const log = new MessageLog(opts.recordMessages ?? 1000);
  const random = seededRandom((opts.seed ?? 1) ^ 0x5eed);
  const faults = new FaultState(random, { ms: opts.latencyMs ?? 0, jitterMs: opts.jitterMs ?? 0 });
  let refCounter = 0;
  const ctx: AnswerContext = {
    identity: opts.identity ?? DEFAULT_IDENTITY,
    nextReferentie: () => `SIM-${Date.now().toString(36)}-${++refCounter}`,
    now: () => new Date(),
  };

  const snapshots = opts.snapshotFile ? snapshotWriter(opts.snapshotFile, store) : undefined;

  const server = createServer({ keepAlive: true });
  server.listen(opts.port ?? 0, host);
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  const base = `http://${urlHost(host)}:${port}`;
  const urls: Partial<Record<SectorName, string>> = {};
  /** Endpoint path → the sector's SOAP binding and engine (set up once, at start or on the first request). */
  const endpoints = new Map<string, () => Promise<Endpoint>>();
  for (const name of sectors) {
    const sector = SECTORS[name];
    const endpointUrl = `${base}${paths[name]}`;
    let bound: Promise<Endpoint> | undefined;
    endpoints.set(paths[name], () => {
      bound ??= attachSoap(server, paths[name], endpointUrl, sector).then((soap) => ({
        soap,
        engine: new StufEngine({ store, validator, log, ctx, soapActions: soap.soapActions, sector }),
      }));
      return bound;
    });
    urls[name] = endpointUrl;
  }
  try {
    // Sequentially: attachSoap tells soap's listener apart from the others by what it adds.
    for (const name of eager) await endpoints.get(paths[name])?.();
  } catch (e) {
    server.close();
    throw e;
  }
  const url = urls.bg ?? urls[sectors[0] as SectorName] ?? base;

  // 'down' in refuse mode closes the listener; it listens again on the same port afterwards.
  let down = false;
  let upTimer: NodeJS.Timeout | undefined;
  const goDown = (forMs: number | undefined): void => {
    clearTimeout(upTimer);
    if (!down) {
      down = true;
      server.close();
      server.closeAllConnections();
    }
    if (forMs) upTimer = setTimeout(() => comeUp(true), forMs).unref();
  };
  const comeUp = (clearFault: boolean): void => {
    clearTimeout(upTimer);
    if (clearFault && faults.get('down')) faults.clear('down');
    if (!down) return;
    down = false;
    server.listen(port, host);
  };
  // Only a failed re-listen after 'down' can get here: stay down rather than crash the host process.
  server.on('error', (e) => {
    console.error(`StUF simulator: cannot listen on ${host}:${port} again: ${e.message}`);
    down = true;
  });

  const sim: Simulator = {
    url,
    urls,
    endpointFor: (namespace) => {
      const name = sectors.find((n) => SECTORS[n].namespace === namespace);
      return name === undefined ? undefined : urls[name];
    },
    wsdlUrl: `${url}?wsdl`,
    adminUrl: `${base}/__admin`,
    port,
    stats: () => ({
      requests: log.counters(),
      faultsInjected: faults.injectedCounts(),
      faults: faults.list(),
      objects: Object.fromEntries(ENTITY_CODES.map((e) => [e, store.count(e)])) as Record<EntityCode, number>,
      down,
    }),
    messages: () => log.list(),
    setFault: (input) => {
      const f = faults.set(input);
      if (f.type === 'down' && f.mode === 'refuse') goDown(f.forMs);
      else if (f.type === 'down') comeUp(false);
    },
    clearFaults: () => {
      faults.clear();
      comeUp(false);
    },
    objects: (entity) =>
      store.list(entity).map((o) => ({
        entity: o.entity,
        key: o.key,
        xml: objectXml(o.entity, o.key, o.children, true),
        element: { ns: sectorOfEntity(o.entity), name: 'object', attrs: [], children: o.children.map(cloneNode), text: '' },
      })),
    reset: () => {
      store.load(initial);
      faults.clear();
      faults.resetCounts();
      log.clear();
      comeUp(false);
    },
    stop: async () => {
      clearTimeout(upTimer);
      snapshots?.flush();
      if (!down) {
        const closed = once(server, 'close');
        server.close();
        server.closeAllConnections();
        await closed;
      }
    },
  };

  const handleStuf = async (engine: StufEngine, req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const soapAction = soapActionOf(req);
    const body = await readBody(req, opts.maxBodyBytes ?? 8 * 1024 * 1024);
    if (body === 'too-large') {
      const fout = new StufFout(FOUTCODE.invalid, 'Bericht is te groot', { details: `Meer dan ${opts.maxBodyBytes ?? 8 * 1024 * 1024} bytes` });
      log.record({ soapAction, element: '', valid: false, errors: ['body too large'], bytes: 0, xml: '' });
      res.writeHead(413, { 'content-type': XML_TYPE, connection: 'close' }).end(foutbericht('Fo02', fout, undefined, ctx), () => req.socket.destroy());
      return;
    }
    const msg = engine.receive(body, soapAction);
    const fault = faults.pick(msg.element);
    if (fault?.type === 'down') {
      log.answered(msg.record, faultLabel(fault));
      req.socket.destroy();
      return;
    }
    const delay = faults.delayFor(msg.element);
    if (delay > 0) await sleep(delay);
    await respond(engine, res, msg, fault);
  };

  const respond = async (engine: StufEngine, res: ServerResponse, msg: Received, fault: Fault | undefined): Promise<void> => {
    if (fault?.type === 'garbage') {
      log.answered(msg.record, faultLabel(fault));
      writeGarbage(res, fault, { sector: engine.sector, element: msg.element }, ctx);
      return;
    }
    if (fault?.type === 'hostile') {
      log.answered(msg.record, faultLabel(fault));
      await writeHostile(res, fault, { sector: engine.sector, element: msg.element }, ctx, () => engine.answer(msg));
      return;
    }
    const instead =
      fault?.type === 'fo02'
        ? new StufFout(fault.code ?? FOUTCODE.processing, fault.omschrijving ?? 'Bericht kan nu niet worden verwerkt (storing)', { plek: 'server' })
        : undefined;
    const answer = engine.answer(msg, instead);
    if (res.destroyed) return;
    res.writeHead(answer.status, { 'content-type': XML_TYPE, 'content-length': Buffer.byteLength(answer.body) }).end(answer.body);
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const [pathname = '/', search = ''] = (req.url ?? '/').split('?', 2);
    const onError = (e: unknown): void => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end(String(e));
      else res.destroy();
    };
    if (pathname.startsWith('/__admin')) {
      handleAdmin(sim, req, res, pathname, new URLSearchParams(search)).catch(onError);
    } else if (endpoints.has(normalizePath(pathname))) {
      const endpoint = endpoints.get(normalizePath(pathname)) as () => Promise<Endpoint>;
      endpoint()
        .then(({ soap, engine }) => (req.method === 'POST' ? handleStuf(engine, req, res) : soap.handle(req, res)))
        .catch(onError);
    } else if (req.method === 'GET' && pathname.startsWith('/schemas/stuf/')) {
      serveSchema(pathname.slice('/schemas/stuf/'.length), res);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
    }
  });

  return sim;
}

function initialContent(opts: SimulatorOptions): StoreSnapshot {
  const fromFile = opts.snapshotFile ? readSnapshot(opts.snapshotFile) : undefined;
  if (fromFile) return fromFile;
  if (opts.demo === false) return { seq: emptySeq(), objects: [] };
  return demoSnapshot({ seed: opts.seed ?? 1, count: opts.demoCount ?? DEFAULT_DEMO_COUNT });
}

/** Writes the snapshot shortly after changes (coalesced) and on flush(). */
function snapshotWriter(file: string, store: ObjectStore): { flush(): void } {
  let timer: NodeJS.Timeout | undefined;
  let dirty = false;
  const flush = (): void => {
    clearTimeout(timer);
    timer = undefined;
    if (!dirty) return;
    dirty = false;
    writeSnapshot(file, store.snapshot());
  };
  store.onChange(() => {
    dirty = true;
    timer ??= setTimeout(flush, 100).unref();
  });
  return { flush };
}

function normalizePath(p: string): string {
  const withSlash = p.startsWith('/') ? p : `/${p}`;
  return withSlash.length > 1 ? withSlash.replace(/\/+$/, '') : withSlash;
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/** SOAP 1.1 SOAPAction header, or the action parameter of a SOAP 1.2 Content-Type. */
function soapActionOf(req: IncomingMessage): string | undefined {
  const h = req.headers.soapaction;
  const raw = Array.isArray(h) ? h[0] : h;
  if (raw !== undefined) return raw.trim().replace(/^"(.*)"$/, '$1') || undefined;
  return /action="([^"]*)"/.exec(req.headers['content-type'] ?? '')?.[1];
}

/**
 * The UTF-8 body, or 'too-large' once more than max bytes arrived: then the rest is not read
 * (nor buffered) and the caller answers and closes the connection.
 */
function readBody(req: IncomingMessage, max: number): Promise<string | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > max) {
        req.off('data', onData);
        req.off('end', onEnd);
        req.pause();
        resolve('too-large');
      } else chunks.push(chunk);
    };
    const onEnd = (): void => resolve(Buffer.concat(chunks).toString('utf8'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', reject);
  });
}

/** The project's StUF schemas, so the imports of the served WSDL resolve over HTTP too. */
function serveSchema(rel: string, res: ServerResponse): void {
  try {
    const full = path.resolve(SCHEMA_DIR, decodeURIComponent(rel));
    if (!full.startsWith(SCHEMA_DIR + path.sep) || !/\.(xsd|wsdl)$/.test(full)) throw new Error('outside the schemas');
    const data = readFileSync(full);
    res.writeHead(200, { 'content-type': 'application/xml', 'content-length': data.length }).end(data);
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
  }
}
