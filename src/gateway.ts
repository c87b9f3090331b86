// Composition root: builds the gateway from a Config (backend client, mapping, identity, auth,
// HTTP server) and, for the embedded default, starts the StUF simulator as a separate server that
// the gateway reaches over HTTP like any real backend.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerClientErrors } from './http/client-error.ts';
import { createApp, linkStyleFor, publicBaseResolverFor } from './app.ts';
import {
  cacheNamespace,
  createFastPath,
  createRepresentationCache,
  redisReadinessCheck,
  type RepresentationCache,
} from './cache/index.ts';
import { createAuthenticator, type Authenticator } from './auth/index.ts';
import type { Config } from './config/index.ts';
import { StufKlantenBackend } from './backend/stuf-klanten-backend.ts';
import { API_VERSION, createLogger, type Logger } from './http/index.ts';
import { createGatewayRateLimiter, type GatewayRateLimiter } from './http/rate-limit-setup.ts';
import { KlantIdentity } from './identity/klant-identity.ts';
import { KlantenService } from './klanten/klanten-service.ts';
import { cacheInvalidationPort, createWriteSide } from './klanten/write-setup.ts';
import { createSideServices } from './audit/side-services.ts';
import type { WritePorts } from './klanten/write-ports.ts';
import { classifyWriteFault } from './backend/stuf-write-faults.ts';
import { KlantMapper, loadMapping } from './mapping/index.ts';
import { ResilientStufClient, resilienceSettings } from './resilience/index.ts';
import { GatewayMetrics, Readiness, backendReadinessCheck, gracefulCloser, observeResilience, observeStufCalls } from './ops/index.ts';
import { StufXsdValidator } from './stuf/xsd-validator.ts';
import { SECTOR_NAMES, SECTORS, startSimulator, type Simulator } from './simulator/index.ts';

export interface Gateway {
  /** http://host:port of the listening server. */
  url: string;
  server: http.Server;
  simulator: Simulator | undefined;
  logger: Logger;
  metrics: GatewayMetrics;
  /** /readyz: add checks (e.g. Redis) with readiness.add(). */
  readiness: Readiness;
  /** Representation cache: health(), invalidateKlant/invalidateLists (see cache/index.ts). */
  cache: RepresentationCache;
  /** JWT-ZGW authentication (stats(): verified-token cache, Autorisaties API lookups). */
  authenticator: Authenticator;
  /** Per-client rate limit (stats().mode: shared through Redis or per instance); undefined when off. */
  rateLimiter: GatewayRateLimiter | undefined;
  /**
   * Graceful stop: readiness turns 503, no new connections, requests in flight may finish within
   * timeoutMs (default server.shutdownTimeoutMs), then the backend pool (and the simulator) close.
   * `drained` is false when requests had to be cut at the deadline.
   */
  close(timeoutMs?: number): Promise<{ drained: boolean }>;
}

export interface GatewayOverrides {
  logger?: Logger;
  /** Use this StUF endpoint instead of config.backend.endpoint / the embedded simulator. */
  backendEndpoint?: string;
  metrics?: GatewayMetrics;
  /** Serve cache hits before Express (default true; false sends every request through Express). */
  fastPath?: boolean;
  /** Write-side neighbours (audit, notifications, subject check, cache) replacing the configured ones (tests record them). */
  writePorts?: WritePorts;
}

export async function startGateway(config: Config, overrides: GatewayOverrides = {}): Promise<Gateway> {
  const logger = overrides.logger ?? createLogger(config.log);
  const metrics = overrides.metrics ?? new GatewayMetrics();
  const mapper = new KlantMapper(loadMapping(config.backend.mapping));

  let simulator: Simulator | undefined;
  let endpoint = overrides.backendEndpoint ?? config.backend.endpoint;
  if (!endpoint) {
    if (config.backend.kind !== 'embedded') throw new Error('backend.endpoint is required when backend.kind is stuf');
    // Only the sector of the mapping's dialect: the gateway talks to that endpoint alone.
    const sector = SECTOR_NAMES.find((n) => SECTORS[n].namespace === mapper.entities[0]?.namespace);
    simulator = await startSimulator({
      ...(sector ? { sectors: [sector] } : {}),
      host: config.simulator.host,
      port: config.simulator.port,
      latencyMs: config.simulator.latencyMs,
      demo: config.simulator.demo,
      seed: config.simulator.seed,
      snapshotFile: config.simulator.snapshotFile,
    });
    // The simulator serves each StUF sector on its own endpoint: talk to the one of the mapping's
    // dialect (StUF-BG for stuf-bg-0310.yaml, StUF-ZKN for stuf-zkn-0310-ctp.yaml).
    const namespace = mapper.entities[0]?.namespace ?? '';
    endpoint = simulator.endpointFor(namespace);
    if (!endpoint) {
      await simulator.stop();
      throw new Error(`${config.backend.mapping}: the embedded simulator serves no StUF sector with namespace ${namespace}`);
    }
  }

  const b = config.backend;
  const client = new ResilientStufClient({
    endpoint,
    zender: b.zender,
    ontvanger: b.ontvanger,
    connectTimeoutMs: b.connectTimeoutMs,
    questionTimeoutMs: b.questionTimeoutMs,
    kennisgevingTimeoutMs: b.kennisgevingTimeoutMs,
    maxResponseBytes: b.maxResponseBytes,
    connections: b.connections,
    validateOutgoing: b.validateOutgoing ? new StufXsdValidator() : undefined,
    onCall: observeStufCalls(metrics, logger),
    resilience: { ...resilienceSettings(b), observer: observeResilience(metrics, logger) },
    classifyKennisgevingFault: classifyWriteFault,
  });
  metrics.watchBackend(client.policy);
  const backend = new StufKlantenBackend(client, mapper, { listBatchSize: b.listBatchSize, maxListPages: 10_000, listTimeoutMs: b.listTimeoutMs });
  const identity = new KlantIdentity(config.identity.secret);
  const service = new KlantenService(backend, identity, config.api.pageSize);
  const authenticator = createAuthenticator(config.auth, { logger });
  const rateLimiter = await createGatewayRateLimiter(config, logger);
  const cache = createRepresentationCache({
    cache: config.cache,
    redis: config.redis,
    // Deployment-wide inputs of the bytes: instances that render differently never share entries.
    namespace: cacheNamespace({
      api: API_VERSION,
      pageSize: config.api.pageSize,
      strict: config.server.strict,
      mapping: readFileSync(config.backend.mapping, 'utf8'),
    }),
    logger,
    metrics: { cache: metrics.cache, redis: metrics.redis },
  });
  // Audit trail and notifications (config audit / notificaties): ports of the write side.
  const side = await createSideServices(config, logger);
  const writes = await createWriteSide({
    config,
    backend,
    identity,
    reads: service,
    logger,
    ports: { cache: cacheInvalidationPort(cache), audit: side.audit, notify: side.notifier, ...overrides.writePorts },
    metrics,
  });

  const readiness = new Readiness({
    checks: [backendReadinessCheck(backend, () => client.policy.circuit()), redisReadinessCheck(cache)],
  });

  const app = createApp({ config, logger, authenticator, service, writes, cache, audit: side.audit, ops: { metrics, readiness }, rateLimiter });
  const server = http.createServer({ maxHeaderSize: config.server.maxHeaderBytes, requestTimeout: config.server.requestTimeoutMs });
  answerClientErrors(server);
  // Cache hits of klant_read / klant_list are answered before Express (cache/fast-path.ts);
  // everything else, and every hit it is unsure about, goes to the Express app untouched.
  const fastPath =
    overrides.fastPath === false
      ? undefined
      : createFastPath({
          cache,
          authenticator,
          resolveBase: publicBaseResolverFor(config.server),
          links: linkStyleFor(config.server),
          strict: config.server.strict,
          logger,
          corsEnabled: config.server.cors.origins.length > 0,
          rateLimiter,
          observeRequest: (method, route, status, seconds) => metrics.observeRequest(method, route, status, seconds),
        });
  server.on('request', fastPath === undefined ? app : (req, res) => fastPath(req, res) || app(req, res));
  server.keepAliveTimeout = config.server.keepAliveTimeoutMs;
  const closer = gracefulCloser(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.server.port, config.server.host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;

  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${addr.port}`,
    server,
    simulator,
    logger,
    metrics,
    readiness,
    cache,
    authenticator,
    rateLimiter,
    async close(timeoutMs = config.server.shutdownTimeoutMs) {
      const started = performance.now();
      readiness.beginDrain();
      const drained = await closer.close(timeoutMs);
      // Create reconciliations get what is left of the deadline, while the backend, audit trail and
      // notifier still work (they close after).
      await writes.close(Math.max(0, timeoutMs - (performance.now() - started)));
      await backend.close();
      await side.close(Math.min(2_000, timeoutMs));
      cache.close();
      rateLimiter?.close();
      authenticator.close();
      await simulator?.stop();
      return { drained };
    },
  };
}
