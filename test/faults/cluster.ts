// The system under fault on loopback: gateways (src/main.ts) as separate processes, as in
// production, optionally sharing a real redis-server; the StUF simulator in the test process (the
// gateways reach it over HTTP only; in-process so 'down' in refuse mode can come back: the
// standalone simulator process exits when its listener closes). Gateways can be SIGKILLed and
// started again; Redis can be SIGKILLed and restarted (empty) on the same port.
import type { KlantData, SubjectType } from '../../src/domain/klant.ts';
import { KlantMapper, loadMapping } from '../../src/mapping/index.ts';
import { startSimulator, type BgEntityCode as EntityCode, type Fault, type Simulator } from '../../src/simulator/index.ts';
import { startGatewayProcess } from '../../bench/lib/proc.ts';
import { startRedis, type RedisProcess } from '../support/redis-process.ts';

export interface GatewayProc {
  name: string;
  url: string;
  token: string;
  /** Receives traffic (a load balancer's view: it notices a dead instance a second after it died). */
  alive: boolean;
  /** The process was killed (its cut connections are expected, not a gateway failure). */
  killed: boolean;
  /** SIGKILL: no shutdown, requests in flight are cut. */
  kill(): Promise<void>;
  /** Starts a new process with the same settings (new port). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface Cluster {
  sim: Simulator;
  redis: RedisProcess | undefined;
  gateways: GatewayProc[];
  setFault(f: Fault): void;
  clearFaults(): void;
  /** Every stored klant of these entity types, read through the gateway's own mapping, by klantnummer. */
  storedKlanten(entities?: EntityCode[]): Map<string, KlantData[]>;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  gateways?: number;
  redis?: boolean;
  /** Extra KLANTBRUG_* settings of every gateway. */
  env?: Record<string, string>;
}

const ENTITY_TYPE: Record<EntityCode, SubjectType> = { NPS: 'natuurlijk_persoon', NNP: 'niet_natuurlijk_persoon', VES: 'vestiging' };

/** Timeouts short enough that faults resolve within a scenario; the breaker re-probes quickly. */
export const FAULT_GATEWAY_ENV: Record<string, string> = {
  KLANTBRUG_RATELIMIT__PERCLIENTPERMINUTE: '0',
  KLANTBRUG_BACKEND__QUESTIONTIMEOUTMS: '1500',
  KLANTBRUG_BACKEND__KENNISGEVINGTIMEOUTMS: '2000',
  KLANTBRUG_BACKEND__CONNECTTIMEOUTMS: '500',
  KLANTBRUG_BACKEND__BREAKER__OPENMS: '1500',
  KLANTBRUG_REDIS__COMMANDTIMEOUTMS: '300',
  KLANTBRUG_REDIS__CONNECTTIMEOUTMS: '500',
  KLANTBRUG_SERVER__SHUTDOWNTIMEOUTMS: '2000',
};

const mapper = new KlantMapper(loadMapping('mappings/stuf-bg-0310.yaml'));

export async function startCluster(opts: ClusterOptions = {}): Promise<Cluster> {
  const sim = await startSimulator({ port: 0, seed: 1 });
  const redis = opts.redis ? await startRedis() : undefined;
  const env = {
    KLANTBRUG_BACKEND__KIND: 'stuf',
    KLANTBRUG_BACKEND__ENDPOINT: sim.url,
    ...FAULT_GATEWAY_ENV,
    ...(redis ? { REDIS_URL: redis.url } : {}),
    ...opts.env,
  };

  const gateways: GatewayProc[] = [];
  for (let i = 0; i < (opts.gateways ?? 1); i++) {
    let proc = await startGatewayProcess(env);
    const g: GatewayProc = {
      name: `gateway-${i + 1}`,
      url: proc.url,
      token: proc.token,
      alive: true,
      killed: false,
      async kill() {
        g.killed = true;
        if (proc.child.exitCode === null) {
          const exited = new Promise((r) => proc.child.once('exit', r));
          proc.child.kill('SIGKILL');
          await exited;
        }
        // Until the balancer's health check notices, requests still go there (and are refused).
        setTimeout(() => {
          if (g.killed) g.alive = false;
        }, 1_000).unref();
      },
      async restart() {
        proc = await startGatewayProcess(env);
        g.url = proc.url;
        g.token = proc.token;
        g.killed = false;
        g.alive = true;
      },
      async stop() {
        g.alive = false;
        await proc.stop();
      },
    };
    gateways.push(g);
  }

  return {
    sim,
    redis,
    gateways,
    setFault: (f) => sim.setFault(f),
    clearFaults: () => sim.clearFaults(),
    storedKlanten(entities: EntityCode[] = ['NPS', 'NNP', 'VES']) {
      const out = new Map<string, KlantData[]>();
      for (const e of entities) {
        for (const o of sim.objects(e)) {
          const k = mapper.toKlant(ENTITY_TYPE[e], o.element);
          const list = out.get(k.klantnummer) ?? [];
          list.push(k);
          out.set(k.klantnummer, list);
        }
      }
      return out;
    },
    async stop() {
      for (const g of gateways) await g.stop().catch(() => undefined);
      await redis?.stop().catch(() => undefined);
      await sim.stop();
    },
  };
}
