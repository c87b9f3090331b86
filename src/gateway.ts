// Composition root: builds the gateway from a Config (backend client, mapping, identity, auth,
// HTTP server) and, for the embedded default, starts the StUF simulator as a separate server that
// the gateway reaches over HTTP like any real backend.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.ts';
import { createAuthenticator } from './auth/index.ts';
import type { Config } from './config/index.ts';
import { StufKlantenBackend } from './backend/stuf-klanten-backend.ts';
import { createLogger, type Logger } from './http/index.ts';
import { KlantIdentity } from './identity/klant-identity.ts';
import { KlantenService } from './klanten/klanten-service.ts';
import { KlantMapper, loadMapping } from './mapping/index.ts';
import { ResilientStufClient, resilienceSettings } from './resilience/index.ts';
import { GatewayMetrics, Readiness, backendReadinessCheck, gracefulCloser, observeResilience, observeStufCalls } from './ops/index.ts';
import { StufXsdValidator } from './stuf/xsd-validator.ts';
import { startSimulator, type Simulator } from './simulator/index.ts';

export interface Gateway {
  /** http://host:port of the listening server. */
  url: string;
  server: http.Server;
  simulator: Simulator | undefined;
  logger: Logger;
  metrics: GatewayMetrics;
  /** /readyz: add checks (e.g. Redis) with readiness.add(). */
  readiness: Readiness;
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
}

export async function startGateway(config: Config, overrides: GatewayOverrides = {}): Promise<Gateway> {
  const logger = overrides.logger ?? createLogger(config.log);
  const metrics = overrides.metrics ?? new GatewayMetrics();
  const mapper = new KlantMapper(loadMapping(config.backend.mapping));

  let simulator: Simulator | undefined;
  let endpoint = overrides.backendEndpoint ?? config.backend.endpoint;
  if (!endpoint) {
    if (config.backend.kind !== 'embedded') throw new Error('backend.endpoint is required when backend.kind is stuf');
    simulator = await startSimulator({
      host: config.simulator.host,
      port: config.simulator.port,
      latencyMs: config.simulator.latencyMs,
      demo: config.simulator.demo,
      seed: config.simulator.seed,
      snapshotFile: config.simulator.snapshotFile,
    });
    endpoint = simulator.url;
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
  });
  metrics.watchBackend(client.policy);
  const backend = new StufKlantenBackend(client, mapper, { listBatchSize: b.listBatchSize, maxListPages: 10_000 });
  const identity = new KlantIdentity(config.identity.secret);
  const service = new KlantenService(backend, identity, config.api.pageSize);
  const authenticator = createAuthenticator(config.auth);

  const readiness = new Readiness({ checks: [backendReadinessCheck(backend, () => client.policy.circuit())] });

  const app = createApp({ config, logger, authenticator, service, ops: { metrics, readiness } });
  const server = http.createServer(
    { maxHeaderSize: config.server.maxHeaderBytes, requestTimeout: config.server.requestTimeoutMs },
    app,
  );
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
    async close(timeoutMs = config.server.shutdownTimeoutMs) {
      readiness.beginDrain();
      const drained = await closer.close(timeoutMs);
      await backend.close();
      await simulator?.stop();
      return { drained };
    },
  };
}
