// A small real Autorisaties API (VNG AC 1.0, the part a component reads) on a loopback port, for
// tests: GET /applicaties?clientIds=a,b → { count, next, previous, results }, behind JWT-ZGW (HS256,
// checked with the gateway's own authenticator against the credentials it was started with).
// Its answers can be changed, and it can fail (HTTP 500), hang, or drop connections.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAuthenticator } from '../../src/auth/authenticator.ts';

export interface AcAutorisatie {
  component: string;
  scopes: string[];
}

export interface AcApplicatie {
  clientIds: string[];
  label: string;
  heeftAlleAutorisaties: boolean;
  autorisaties: AcAutorisatie[];
}

export type AcMode = 'up' | 'error' | 'hang' | 'drop';

export interface AutorisatiesApiServer {
  /** API root, e.g. http://127.0.0.1:1234/autorisaties/api/v1 */
  url: string;
  /** The credentials the gateway must sign its tokens with. */
  clientId: string;
  secret: string;
  applicaties: AcApplicatie[];
  mode: AcMode;
  /** clientIds query of every applicaties request, in order (also the refused ones). */
  lookups: string[];
  /** Requests refused for a missing or bad token. */
  refused: number;
  stop(): Promise<void>;
}

export async function startAutorisatiesApi(opts: { clientId?: string; secret?: string } = {}): Promise<AutorisatiesApiServer> {
  const clientId = opts.clientId ?? 'klantbrug';
  const secret = opts.secret ?? 'ac-secret-for-klantbrug-0123456789';
  const verifier = createAuthenticator({
    clients: [{ clientId, secret, scopes: [], heeftAlleAutorisaties: true, applicatieWeergave: '' }],
    leewaySeconds: 60,
    tokenCacheSize: 0,
  });
  const root = '/autorisaties/api/v1';
  const hanging = new Set<http.ServerResponse>();

  const state: Omit<AutorisatiesApiServer, 'url' | 'stop'> = { clientId, secret, applicaties: [], mode: 'up', lookups: [], refused: 0 };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://ac');
    if (req.method !== 'GET' || url.pathname !== `${root}/applicaties`) {
      res.writeHead(404).end();
      return;
    }
    const ids = url.searchParams.get('clientIds') ?? '';
    state.lookups.push(ids);
    if (state.mode === 'drop') {
      req.socket.destroy();
      return;
    }
    if (state.mode === 'hang') {
      hanging.add(res);
      return;
    }
    if (state.mode === 'error') {
      res.writeHead(500, { 'content-type': 'application/problem+json' }).end('{"code":"error"}');
      return;
    }
    if (!verifier.authenticate(req.headers.authorization).ok) {
      state.refused++;
      res.writeHead(403, { 'content-type': 'application/problem+json' }).end('{"code":"permission_denied"}');
      return;
    }
    // The filter matches an applicatie holding any of the ids (comma-separated), as the AC does.
    const wanted = ids.split(',').filter((s) => s !== '');
    const results = state.applicaties
      .filter((a) => wanted.length === 0 || a.clientIds.some((c) => wanted.includes(c)))
      .map((a, i) => ({ url: `http://ac${root}/applicaties/${i}`, ...a }));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ count: results.length, next: null, previous: null, results }));
  });
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;

  const api = state as AutorisatiesApiServer;
  api.url = `http://127.0.0.1:${port}${root}`;
  api.stop = async () => {
    for (const res of hanging) res.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return api;
}

/** An applicatie for `clientId` with these Klanten API (`kc`) scopes. */
export function kcApplicatie(clientId: string, scopes: string[], label = `App ${clientId}`): AcApplicatie {
  return { clientIds: [clientId], label, heeftAlleAutorisaties: false, autorisaties: [{ component: 'kc', scopes }] };
}
