// The gateway's Prometheus metrics, in a registry of its own (never prom-client's global one, so
// two gateways in one process — tests — do not share counters). One object is built in the
// composition root and handed to whoever observes something: the HTTP middleware, the StUF call
// hook, the resilience policy, the cache (hit/miss/304) and the Redis connection (state).
// Labels are bounded sets only (route patterns, status codes, StUF message names): never ids,
// paths, client ids or anything personal.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CircuitState } from '../resilience/circuit-breaker.ts';
import { RequestSeries } from './request-series.ts';

export const METRIC_PREFIX = 'klantbrug_';

export type CacheTier = 'l1' | 'redis';
export type RedisState = 'disabled' | 'up' | 'down';

const CIRCUIT_STATES: readonly CircuitState[] = ['closed', 'open', 'half_open'];
const REDIS_STATES: readonly RedisState[] = ['disabled', 'up', 'down'];
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const SECONDS_BUCKETS = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** What the backend's gauges read at scrape time. */
export interface BackendGaugeSource {
  circuit(): CircuitState;
  inFlight(): number;
  queued(): number;
}

/** Counters the representation cache increments. */
export interface CacheMetrics {
  hit(tier: CacheTier): void;
  miss(): void;
  /** A conditional request answered 304 from the cache (no backend call). */
  notModified(): void;
}

export interface RedisMetrics {
  setState(state: RedisState): void;
}

export interface BackendCallObservation {
  kind: 'question' | 'kennisgeving';
  messageName: string;
  outcome: string;
  durationMs: number;
}

export class GatewayMetrics {
  readonly registry = new Registry();
  readonly cache: CacheMetrics;
  readonly redis: RedisMetrics;

  private readonly http: RequestSeries;
  private readonly backendCalls: Counter<'kind' | 'message' | 'outcome'>;
  private readonly backendDuration: Histogram<'message' | 'outcome'>;
  private readonly backendRejected: Counter<'reason'>;
  private readonly backendRetries: Counter<'message'>;
  private readonly createReconciliations: Counter<'outcome'>;
  private backendSource: BackendGaugeSource | undefined;

  constructor(opts: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });

    this.http = new RequestSeries({
      registry: this.registry,
      counterName: `${METRIC_PREFIX}http_requests_total`,
      counterHelp: 'HTTP requests by method, route pattern and status',
      histogramName: `${METRIC_PREFIX}http_request_duration_seconds`,
      histogramHelp: 'HTTP request duration (until the response was sent) by method, route pattern and status',
      buckets: SECONDS_BUCKETS,
    });
    this.backendCalls = new Counter({
      name: `${METRIC_PREFIX}backend_calls_total`,
      help: 'StUF messages sent to the backend (each retry counts) by kind, message and outcome',
      labelNames: ['kind', 'message', 'outcome'],
      registers,
    });
    this.backendDuration = new Histogram({
      name: `${METRIC_PREFIX}backend_call_duration_seconds`,
      help: 'StUF call duration by message and outcome',
      labelNames: ['message', 'outcome'],
      buckets: SECONDS_BUCKETS,
      registers,
    });
    this.backendRejected = new Counter({
      name: `${METRIC_PREFIX}backend_rejected_total`,
      help: 'Backend calls refused by the gateway without sending them (circuit_open, queue_full, queue_timeout)',
      labelNames: ['reason'],
      registers,
    });
    this.backendRetries = new Counter({
      name: `${METRIC_PREFIX}backend_retries_total`,
      help: 'Questions asked again after a connection error or timeout, by message',
      labelNames: ['message'],
      registers,
    });

    this.createReconciliations = new Counter({
      name: `${METRIC_PREFIX}create_reconciliations_total`,
      help: 'Creates the backend accepted but the gateway could not read back (a 504), by how their audit entry and notification ended: found, lost, abandoned',
      labelNames: ['outcome'],
      registers,
    });
    for (const outcome of ['found', 'lost', 'abandoned']) this.createReconciliations.inc({ outcome }, 0);

    const source = (): BackendGaugeSource | undefined => this.backendSource;
    new Gauge({
      name: `${METRIC_PREFIX}backend_circuit_state`,
      help: 'Circuit breaker toward the backend: 1 for the current state (closed, open, half_open)',
      labelNames: ['state'],
      registers,
      collect() {
        const current = source()?.circuit() ?? 'closed';
        for (const s of CIRCUIT_STATES) this.set({ state: s }, s === current ? 1 : 0);
      },
    });
    new Gauge({
      name: `${METRIC_PREFIX}backend_in_flight`,
      help: 'Backend calls in flight',
      registers,
      collect() {
        this.set(source()?.inFlight() ?? 0);
      },
    });
    new Gauge({
      name: `${METRIC_PREFIX}backend_queued`,
      help: 'Backend calls waiting for a free slot',
      registers,
      collect() {
        this.set(source()?.queued() ?? 0);
      },
    });

    // Hits are counted in plain numbers (the hit path is µs-sensitive) and exported at scrape time.
    const hitCounts: Record<CacheTier, number> = { l1: 0, redis: 0 };
    new Counter({
      name: `${METRIC_PREFIX}cache_hits_total`,
      help: 'Representations served from the cache, by tier (l1 = in-process, redis = shared)',
      labelNames: ['tier'],
      registers,
      collect() {
        this.reset();
        for (const tier of ['l1', 'redis'] as const) this.inc({ tier }, hitCounts[tier]);
      },
    });
    const misses = new Counter({
      name: `${METRIC_PREFIX}cache_misses_total`,
      help: 'Representations not in the cache (built from the backend)',
      registers,
    });
    const notModified = new Counter({
      name: `${METRIC_PREFIX}cache_not_modified_total`,
      help: 'Conditional requests answered 304 Not Modified from the cache',
      registers,
    });
    this.cache = {
      hit: (tier) => {
        hitCounts[tier]++;
      },
      miss: () => misses.inc(),
      notModified: () => notModified.inc(),
    };

    const redisState = new Gauge({
      name: `${METRIC_PREFIX}redis_state`,
      help: 'Redis connection: 1 for the current state (disabled = not configured, up, down)',
      labelNames: ['state'],
      registers,
    });
    this.redis = {
      setState: (state) => {
        for (const s of REDIS_STATES) redisState.set({ state: s }, s === state ? 1 : 0);
      },
    };
    this.redis.setState('disabled');
  }

  /** Which backend the circuit/in-flight/queued gauges describe. */
  watchBackend(source: BackendGaugeSource): void {
    this.backendSource = source;
  }

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const m = METHODS.has(method) ? method : 'OTHER';
    this.http.observe(`${m}|${route}|${status}`, () => ({ method: m, route, status: String(status) }), seconds);
  }

  observeBackendCall(call: BackendCallObservation): void {
    this.backendCalls.inc({ kind: call.kind, message: call.messageName, outcome: call.outcome });
    this.backendDuration.observe({ message: call.messageName, outcome: call.outcome }, call.durationMs / 1000);
  }

  backendCallRejected(reason: string): void {
    this.backendRejected.inc({ reason });
  }

  backendRetry(messageName: string): void {
    this.backendRetries.inc({ message: messageName });
  }

  /** A create accepted but not read back was reconciled (found), never found (lost) or cut by a stop (abandoned). */
  createReconciled(outcome: 'found' | 'lost' | 'abandoned'): void {
    this.createReconciliations.inc({ outcome });
  }

  /** The exposition text and its Content-Type. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
