// kla-002: a klant's `subject` URL must point at a resource that exists, i.e. a GET of it must end
// in HTTP 200 (after at most `maxRedirects` redirects). The check fetches a URL a client chose, so
// it is guarded against server-side request forgery and slow hosts:
// - http(s) only, no credentials in the URL, the host on `allowHosts` when that list is not empty;
// - every hop's host is resolved (all addresses) and refused when any address is internal
//   (loopback, link-local/metadata, ...) or private without being allow-listed (see
//   subject-check-address.ts); `allowPrivate` switches this guard off (tests, closed networks);
// - the connection goes to the vetted addresses (no second DNS lookup: no rebinding);
// - one deadline (`timeoutMs`) covers DNS, connects and every hop; the body is never read.
// GET, not HEAD: several APIs (and proxies in front of them) answer HEAD with 405 or 404. No
// credentials are sent: a subject API that needs them answers 401/403, which fails the check.
// Every failure is `{ ok: false, code: 'bad-url' }` (the reference's code on name `subject`).
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import type { SubjectCheckConfig } from '../config/schema.ts';
import { classifyAddress } from './subject-check-address.ts';
import { fetchHop } from './subject-check-fetch.ts';
import { vetUrl } from './subject-check-url.ts';
import type { SubjectCheckPort, SubjectCheckResult } from './write-ports.ts';

export const SUBJECT_CHECK_CODE = 'bad-url';

export type ResolveHost = (host: string) => Promise<LookupAddress[]>;

export interface SubjectCheckerOptions extends SubjectCheckConfig {
  /** DNS resolution (default: dns.lookup with all addresses, so /etc/hosts counts too). */
  resolve?: ResolveHost;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export class SubjectChecker implements SubjectCheckPort {
  private readonly opts: SubjectCheckerOptions;
  private readonly resolveHost: ResolveHost;

  constructor(opts: SubjectCheckerOptions) {
    this.opts = opts;
    this.resolveHost = opts.resolve ?? systemResolve;
  }

  async check(value: string): Promise<SubjectCheckResult> {
    if (!this.opts.enabled || value === '') return { ok: true };
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), this.opts.timeoutMs);
    try {
      return await this.follow(value, deadline.signal);
    } catch (err) {
      if (deadline.signal.aborted) return fail(`Het subject antwoordde niet binnen ${this.opts.timeoutMs} ms.`);
      return fail(`Het subject kon niet worden opgevraagd (${describe(err)}).`);
    } finally {
      clearTimeout(timer);
    }
  }

  private async follow(start: string, signal: AbortSignal): Promise<SubjectCheckResult> {
    const seen = new Set<string>();
    let next = start;
    let base: URL | undefined;
    for (let redirects = 0; ; redirects++) {
      const vetted = vetUrl(next, this.opts.allowHosts, base);
      if (!vetted.ok) return fail(vetted.reason);
      const { url, host, listed } = vetted.target;
      if (seen.has(url.href)) return fail(`Het subject verwijst in een kring door (${url.href}).`);
      seen.add(url.href);

      const addresses = await abortable(this.addressesOf(host), signal);
      const refused = this.refusedAddress(addresses, listed);
      if (refused !== undefined) return fail(`De host ${host} wijst naar een niet-toegestaan adres (${refused}).`);

      const answer = await fetchHop(url, host, addresses, signal);
      if (answer.status === 200) return { ok: true };
      if (!REDIRECTS.has(answer.status) || answer.location === undefined) {
        return fail(`Het subject antwoordde met HTTP ${answer.status} in plaats van 200.`);
      }
      if (redirects >= this.opts.maxRedirects) {
        return fail(`Het subject verwijst meer dan ${this.opts.maxRedirects} keer door.`);
      }
      next = answer.location;
      base = url;
    }
  }

  private async addressesOf(host: string): Promise<LookupAddress[]> {
    const family = isIP(host);
    if (family !== 0) return [{ address: host, family }];
    const addresses = await this.resolveHost(host);
    if (addresses.length === 0) throw Object.assign(new Error(`${host} has no addresses`), { code: 'ENOTFOUND' });
    return addresses;
  }

  /** The first address the guard refuses, or undefined when all may be contacted. */
  private refusedAddress(addresses: readonly LookupAddress[], listed: boolean): string | undefined {
    if (this.opts.allowPrivate) return undefined;
    for (const a of addresses) {
      const kind = classifyAddress(a.address);
      if (kind === 'internal' || (kind === 'private' && !listed)) return a.address;
    }
    return undefined;
  }
}

function systemResolve(host: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => {
    dnsLookup(host, { all: true, order: 'verbatim' }, (err, addresses) => (err ? reject(err) : resolve(addresses)));
  });
}

/** Rejects when `signal` aborts (dns.lookup itself cannot be cancelled; its answer is then dropped). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

function fail(reason: string): SubjectCheckResult {
  return { ok: false, code: SUBJECT_CHECK_CODE, reason };
}

function describe(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  return err instanceof Error ? err.message : String(err);
}
