// Test harness: a real simulator (SOAP over HTTP) and a real gateway on loopback ports, plus a
// small fetch wrapper that records every response for contract checks and every StUF message for
// XSD checks. No mocks: the gateway cannot tell the simulator from a real backend.
import { signToken } from '../../src/auth/index.ts';
import { parseConfig, type Config } from '../../src/config/index.ts';
import { startGateway, type Gateway } from '../../src/gateway.ts';
import type { Logger } from '../../src/http/index.ts';
import type { WritePorts } from '../../src/klanten/write-ports.ts';
import { startSimulator, type SectorName, type Simulator, type SimulatorOptions } from '../../src/simulator/index.ts';

export const CLIENTS = {
  all: { clientId: 'test-all', secret: 'test-secret-all-0123456789', heeftAlleAutorisaties: true },
  reader: { clientId: 'test-reader', secret: 'test-secret-reader-0123456789', scopes: ['klanten.lezen'] },
  writer: {
    clientId: 'test-writer',
    secret: 'test-secret-writer-0123456789',
    scopes: ['klanten.lezen', 'klanten.aanmaken', 'klanten.bijwerken', 'klanten.verwijderen', 'audittrails.lezen'],
  },
  nobody: { clientId: 'test-nobody', secret: 'test-secret-nobody-0123456789', scopes: [] as string[] },
} as const;

export type ClientName = keyof typeof CLIENTS;

export interface ApiResponse {
  method: string;
  path: string;
  status: number;
  headers: Headers;
  text: string;
   
  body: any;
}

export interface Harness {
  gateway: Gateway;
  simulator: Simulator;
  config: Config;
  /** Every response the harness saw, for contract validation. */
  responses: ApiResponse[];
  token(client?: ClientName, claims?: Record<string, unknown>): string;
  request(method: string, path: string, opts?: RequestOpts): Promise<ApiResponse>;
  get(path: string, opts?: RequestOpts): Promise<ApiResponse>;
  /** StUF messages the simulator received that did not validate against the XSDs. */
  invalidStufMessages(): { element: string; errors: string[] }[];
  close(): Promise<void>;
}

export interface RequestOpts {
  client?: ClientName | null;
  headers?: Record<string, string>;
  body?: unknown;
  rawBody?: string;
}

export interface HarnessOptions {
  config?: Record<string, unknown>;
  simulator?: SimulatorOptions;
  /** Reuse a running simulator (e.g. to share one between two gateways). */
  sharedSimulator?: Simulator;
  /** The gateway's logger (e.g. one writing to a test stream); default from config.log. */
  logger?: Logger;
  /** Write-side neighbours (audit, notifications, subject check, cache) to use instead of the configured ones. */
  writePorts?: WritePorts;
  /** false: no cache fast path, every request goes through Express (default: on). */
  fastPath?: boolean;
  /** The simulator endpoint the gateway talks to (default bg); 'zkn' with config backend.mapping of the CTP dialect. */
  sector?: SectorName;
}

export function testConfig(overrides: Record<string, unknown> = {}): Config {
  const base: Record<string, unknown> = {
    server: { port: 0, host: '127.0.0.1' },
    identity: { secret: 'test-identity-secret-0123456789' },
    backend: { kind: 'stuf', endpoint: 'http://127.0.0.1:9/unused' },
    auth: { clients: Object.values(CLIENTS).map((c) => ({ ...c })) },
    rateLimit: { perClientPerMinute: 0 },
    log: { level: 'silent' },
  };
  return parseConfig(deepMerge(base, overrides), { env: {} });
}

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const simulator = opts.sharedSimulator ?? (await startSimulator({ port: 0, demo: true, seed: 1, ...opts.simulator }));
  const config = testConfig(opts.config);
  const gateway = await startGateway(config, {
    backendEndpoint: simulator.urls[opts.sector ?? 'bg'] ?? simulator.url,
    ...(opts.logger ? { logger: opts.logger } : {}),
    ...(opts.writePorts ? { writePorts: opts.writePorts } : {}),
    ...(opts.fastPath === false ? { fastPath: false } : {}),
  });
  const responses: ApiResponse[] = [];

  const token = (client: ClientName = 'all', claims: Record<string, unknown> = {}) => {
    const c = CLIENTS[client];
    return signToken(c.clientId, c.secret, claims);
  };

  const request = async (method: string, path: string, ro: RequestOpts = {}): Promise<ApiResponse> => {
    const headers: Record<string, string> = { ...ro.headers };
    if (ro.client !== null) headers.authorization ??= `Bearer ${token(ro.client ?? 'all')}`;
    let body: string | undefined = ro.rawBody;
    if (ro.body !== undefined) {
      body = JSON.stringify(ro.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(gateway.url + path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown;
    const ct = res.headers.get('content-type') ?? '';
    if (text && ct.includes('json')) parsed = JSON.parse(text);
    const r: ApiResponse = { method, path, status: res.status, headers: res.headers, text, body: parsed };
    responses.push(r);
    return r;
  };

  return {
    gateway,
    simulator,
    config,
    responses,
    token,
    request,
    get: (path, o) => request('GET', path, o),
    invalidStufMessages: () =>
      simulator
        .messages()
        .filter((m) => !m.valid)
        .map((m) => ({ element: m.element, errors: m.errors })),
    async close() {
      await gateway.close();
      if (!opts.sharedSimulator) await simulator.stop();
    },
  };
}

function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const av = out[k];
    out[k] =
      v && typeof v === 'object' && !Array.isArray(v) && av && typeof av === 'object' && !Array.isArray(av)
        ? deepMerge(av as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}
