// Asks a ZGW Autorisaties API (VNG AC 1.0) what a client may do in the Klanten API:
//   GET {url}/applicaties?clientIds=<client_id>   (Authorization: a JWT-ZGW of the gateway itself)
//   → { count, next, previous, results: [{ clientIds, label, heeftAlleAutorisaties,
//        autorisaties: [{ component: 'kc', scopes: [...] }, ...] }] }
// The Klanten API is component `kc`; autorisaties for other components are ignored, as are scopes
// this API does not define. The filter is matched again here (exact client id), so an AC whose
// filter matches loosely cannot hand one client another's rights. No applicatie = no rights.
import { signToken } from './jwt.ts';
import { clientRights, type ClientRights } from './rights.ts';
import { SCOPES, type Scope } from './scopes.ts';

export interface AutorisatiesApiSettings {
  /** API root, e.g. https://ac.example.nl/autorisaties/api/v1 */
  url: string;
  /** The gateway's own credentials at the AC. */
  clientId: string;
  secret: string;
  timeoutMs: number;
}

/** Why a lookup produced no answer (logged; never shown to consumers). */
export class AutorisatiesApiError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AutorisatiesApiError';
  }
}

const KLANTEN_COMPONENT = 'kc';
const MAX_ANSWER_BYTES = 1024 * 1024;
const KNOWN_SCOPES: ReadonlySet<string> = new Set(SCOPES);

export async function fetchClientRights(api: AutorisatiesApiSettings, clientId: string, signal?: AbortSignal): Promise<ClientRights> {
  const url = `${api.url.replace(/\/+$/, '')}/applicaties?clientIds=${encodeURIComponent(clientId)}`;
  const timeout = AbortSignal.timeout(api.timeoutMs);
  let res: Response;
  try {
    res = await fetch(url, {
      headers: { Authorization: `Bearer ${signToken(api.clientId, api.secret)}`, Accept: 'application/json' },
      signal: signal === undefined ? timeout : AbortSignal.any([signal, timeout]),
      redirect: 'error',
    });
  } catch (e) {
    throw new AutorisatiesApiError(timeout.aborted ? `no answer within ${api.timeoutMs} ms` : 'unreachable', { cause: e });
  }
  if (res.status !== 200) {
    await res.body?.cancel();
    const hint = res.status === 401 || res.status === 403 ? ' (check autorisatiesApi.clientId/secret and its scope autorisaties.lezen)' : '';
    throw new AutorisatiesApiError(`answered HTTP ${res.status}${hint}`);
  }
  const text = await readLimited(res, MAX_ANSWER_BYTES);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (e) {
    throw new AutorisatiesApiError('answered something that is not JSON', { cause: e });
  }
  return rightsFromApplicaties(body, clientId);
}

/** The rights of `clientId` in an applicaties answer (a paginated list, or a bare array). */
export function rightsFromApplicaties(body: unknown, clientId: string): ClientRights {
  const results = isRecord(body) ? body['results'] : body;
  if (!Array.isArray(results)) throw new AutorisatiesApiError('answer has no results list');
  let all = false;
  let label = '';
  const scopes = new Set<Scope>();
  for (const applicatie of results) {
    if (!isRecord(applicatie)) continue;
    const ids = applicatie['clientIds'];
    if (!Array.isArray(ids) || !ids.includes(clientId)) continue;
    if (label === '' && typeof applicatie['label'] === 'string') label = applicatie['label'];
    if (applicatie['heeftAlleAutorisaties'] === true) all = true;
    const autorisaties = applicatie['autorisaties'];
    if (!Array.isArray(autorisaties)) continue;
    for (const a of autorisaties) {
      if (!isRecord(a) || typeof a['component'] !== 'string' || a['component'].toLowerCase() !== KLANTEN_COMPONENT) continue;
      const given = a['scopes'];
      if (!Array.isArray(given)) continue;
      for (const s of given) if (typeof s === 'string' && KNOWN_SCOPES.has(s)) scopes.add(s as Scope);
    }
  }
  return clientRights(all, scopes, label);
}

async function readLimited(res: Response, maxBytes: number): Promise<string> {
  const declared = Number(res.headers.get('content-length') ?? '0');
  if (declared > maxBytes) {
    await res.body?.cancel();
    throw new AutorisatiesApiError(`answer larger than ${maxBytes} bytes`);
  }
  if (res.body === null) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body) {
    size += chunk.byteLength;
    if (size > maxBytes) throw new AutorisatiesApiError(`answer larger than ${maxBytes} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
