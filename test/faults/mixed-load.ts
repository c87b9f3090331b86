// Steady mixed read/write load against one or more gateways, recording every request's outcome.
// Each virtual user owns the klanten it creates and writes them one request at a time, so the
// history of every klant is a known sequence and the backend's final state can be checked
// against it (verify.ts). Every write carries values used by no other write (per-write sequence
// numbers in telefoonnummer, emailadres, functie), so a stored value names the write that put it.
//
// Outcome of a request, as the consumer sees it:
//   ok       2xx
//   rejected a complete error answer (4xx/5xx problem) other than 504: nothing may have been written
//   unknown  504, the response timed out at the client, or the connection broke mid-request: the
//            write may or may not have reached the backend (it must be all or nothing)
//   refused  the connection was refused: the request never reached a gateway
import { Agent, request } from 'undici';
import type { SubjectType } from '../../src/domain/klant.ts';
import { klantBody } from '../support/write-fixtures.ts';
import type { GatewayProc } from './cluster.ts';

export type Outcome = 'ok' | 'rejected' | 'unknown' | 'refused';

/** The tracked fields of a klant, as a write sets them. */
export interface Tracked {
  telefoonnummer: string;
  emailadres: string;
  functie: string;
}

export interface WriteRecord {
  kind: 'create' | 'put' | 'patch';
  klantnummer: string;
  subjectType: SubjectType;
  /** The tracked fields this write sets (a PATCH sets a subset). */
  sets: Partial<Tracked>;
  seq: number;
  status: number | undefined;
  outcome: Outcome;
  detail: string;
  gateway: string;
  ms: number;
  /** performance.now() when the answer (or error) arrived. */
  end: number;
}

export interface ReadRecord {
  status: number | undefined;
  outcome: Outcome;
  gateway: string;
  ms: number;
  end: number;
  /** A read of one's own klant after an acknowledged write that did not show that write. */
  stale: boolean;
}

export interface Violation {
  what: string;
  detail: string;
}

export interface LoadOptions {
  gateways: GatewayProc[];
  users: number;
  /** Prefix of the generated klantnummers (≤ 3 characters): one per scenario. */
  tag: string;
  /** A response later than this counts as a hang. */
  timeoutMs?: number;
}

const TYPES: SubjectType[] = ['natuurlijk_persoon', 'niet_natuurlijk_persoon', 'vestiging'];

interface Owned {
  klantnummer: string;
  subjectType: SubjectType;
  path: string;
  body: Record<string, unknown>;
  /** The tracked values of the last acknowledged write. */
  last: Tracked;
  /** A write after `last` has an unknown outcome: a read may show it or not. */
  uncertain: boolean;
}

export class MixedLoad {
  readonly writes: WriteRecord[] = [];
  readonly reads: ReadRecord[] = [];
  /** Answers that break the contract: 500, non-problem error bodies, hangs. */
  readonly violations: Violation[] = [];
  private readonly opts: Required<LoadOptions>;
  private readonly agent: Agent;
  private running = false;
  private loops: Promise<void>[] = [];
  private seq = 0;
  private turn = 0;
  private demoPaths: string[] = [];

  constructor(opts: LoadOptions) {
    this.opts = { timeoutMs: 10_000, ...opts };
    this.agent = new Agent({ keepAliveTimeout: 2_000, connections: 64 });
  }

  /** A live gateway, round-robin (what a load balancer with health checks does). */
  private gateway(): GatewayProc {
    const live = this.opts.gateways.filter((g) => g.alive);
    const list = live.length > 0 ? live : this.opts.gateways;
    return list[this.turn++ % list.length]!;
  }

  async start(): Promise<void> {
    const g = this.opts.gateways[0]!;
    const res = await request(`${g.url}/api/v1/klanten?page=2`, { headers: { authorization: `Bearer ${g.token}` }, dispatcher: this.agent });
    const list = (await res.body.json()) as { results: { url: string }[] };
    this.demoPaths = list.results.map((k) => new URL(k.url).pathname);
    this.running = true;
    this.loops = Array.from({ length: this.opts.users }, (_, i) => this.user(i));
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  private async user(u: number): Promise<void> {
    const own: Owned[] = [];
    let step = 0;
    while (this.running) {
      step++;
      const r = (u * 7919 + step * 104729) % 100;
      if (own.length === 0 || r < 20) await this.create(u, own);
      else if (r < 35) await this.update(own[step % own.length]!, r < 28 ? 'put' : 'patch');
      else if (r < 60) await this.readOwn(own[(step * 3) % own.length]!);
      else await this.read(this.demoPaths[(u + step) % this.demoPaths.length]!, false);
    }
  }

  private nextSeq(): number {
    return ++this.seq;
  }

  private tracked(seq: number): Tracked {
    return { telefoonnummer: `06${String(seq).padStart(8, '0')}`, emailadres: `w${seq}@fault.example`, functie: `f${seq}` };
  }

  private async create(u: number, own: Owned[]): Promise<void> {
    const seq = this.nextSeq();
    const subjectType = TYPES[seq % TYPES.length]!;
    const klantnummer = `${this.opts.tag}${seq.toString(36)}`.slice(0, 8);
    const sets = this.tracked(seq);
    const body = klantBody(subjectType, { klantnummer, ...sets });
    const rec = await this.send('POST', '/api/v1/klanten', body);
    this.writes.push({ kind: 'create', klantnummer, subjectType, sets, seq, ...rec });
    if (rec.outcome === 'ok' && rec.url) own.push({ klantnummer, subjectType, path: new URL(rec.url).pathname, body, last: sets, uncertain: false });
    void u;
  }

  private async update(k: Owned, kind: 'put' | 'patch'): Promise<void> {
    const seq = this.nextSeq();
    const all = this.tracked(seq);
    const sets: Partial<Tracked> = kind === 'put' ? all : seq % 2 === 0 ? { telefoonnummer: all.telefoonnummer } : { emailadres: all.emailadres, functie: all.functie };
    const body = kind === 'put' ? { ...k.body, ...k.last, ...sets } : sets;
    const rec = await this.send(kind === 'put' ? 'PUT' : 'PATCH', k.path, body);
    this.writes.push({ kind, klantnummer: k.klantnummer, subjectType: k.subjectType, sets, seq, ...rec });
    if (rec.outcome === 'ok') {
      k.last = { ...k.last, ...sets };
      k.uncertain = false;
    } else if (rec.outcome === 'unknown') k.uncertain = true;
  }

  private async readOwn(k: Owned): Promise<void> {
    const rec = await this.read(k.path, true);
    if (rec.body && rec.status === 200 && !k.uncertain) {
      const b = rec.body as Partial<Tracked>;
      const stale = b.telefoonnummer !== k.last.telefoonnummer || b.emailadres !== k.last.emailadres || b.functie !== k.last.functie;
      this.reads[this.reads.length - 1]!.stale = stale;
    }
  }

  private async read(path: string, keepBody: boolean): Promise<{ status?: number; body?: unknown }> {
    const r = await this.send('GET', path, undefined, keepBody);
    this.reads.push({ status: r.status, outcome: r.outcome, gateway: r.gateway, ms: r.ms, end: r.end, stale: false });
    return { status: r.status, body: r.body };
  }

  private async send(
    method: string,
    path: string,
    body: unknown,
    keepBody = false,
  ): Promise<{ status: number | undefined; outcome: Outcome; detail: string; gateway: string; ms: number; end: number; url?: string; body?: unknown }> {
    const g = this.gateway();
    const t0 = performance.now();
    const what = `${method} ${path} via ${g.name}`;
    try {
      const res = await request(g.url + path, {
        method: method as 'GET',
        headers: { authorization: `Bearer ${g.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        headersTimeout: this.opts.timeoutMs,
        bodyTimeout: this.opts.timeoutMs,
        dispatcher: this.agent,
      });
      const text = await res.body.text();
      const ms = performance.now() - t0;
      const status = res.statusCode;
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      if (status >= 400) this.checkProblem(what, status, String(res.headers['content-type'] ?? ''), parsed, text);
      const outcome: Outcome = status < 300 ? 'ok' : status === 504 ? 'unknown' : 'rejected';
      const detail = status >= 400 ? `${status} ${(parsed as { code?: string } | undefined)?.code ?? ''}` : String(status);
      return { status, outcome, detail, gateway: g.name, ms, end: performance.now(), url: (parsed as { url?: string } | undefined)?.url, body: keepBody ? parsed : undefined };
    } catch (e) {
      const ms = performance.now() - t0;
      const code = (e as { code?: string }).code ?? (e as Error).name;
      const cause = (e as { cause?: { code?: string } }).cause?.code ?? '';
      if (code === 'ECONNREFUSED' || cause === 'ECONNREFUSED' || code === 'UND_ERR_CONNECT_TIMEOUT') {
        return { status: undefined, outcome: 'refused', detail: 'connection refused', gateway: g.name, ms, end: performance.now() };
      }
      if (code.includes('TIMEOUT')) this.violations.push({ what: 'hang', detail: `${what}: no answer within ${this.opts.timeoutMs} ms` });
      else if (!g.killed) this.violations.push({ what: 'connection error', detail: `${what}: ${code} ${(e as Error).message}` });
      return { status: undefined, outcome: 'unknown', detail: code, gateway: g.name, ms, end: performance.now() };
    }
  }

  private checkProblem(what: string, status: number, contentType: string, body: unknown, text: string): void {
    const b = body as Record<string, unknown> | undefined;
    if (status === 500) this.violations.push({ what: '500', detail: `${what}: ${text.slice(0, 200)}` });
    const ok =
      contentType.includes('application/problem+json') &&
      b !== undefined &&
      b.status === status &&
      ['type', 'code', 'title', 'detail', 'instance'].every((k) => typeof b[k] === 'string' && (b[k] as string).length > 0);
    if (!ok) this.violations.push({ what: 'not a problem body', detail: `${what}: ${status} ${contentType} ${text.slice(0, 200)}` });
  }
}
