// Real Redis for tests that need it (never a mock): redis-server processes on free loopback ports,
// each with a temporary directory of its own that stop() removes. Processes never outlive the test
// process, even when a test ends without stop().
//
// - startRedis: one server. No persistence by default (a restart comes back empty); `appendonly`
//   turns on AOF with appendfsync always (what the audit trail asks of production; a restart then
//   keeps the data), `unixSocket` adds a socket in the temporary directory (client() uses it).
// - startRedisCluster: a Redis Cluster of N masters (slots split evenly, no replicas).
// - startRedisSentinel: a master, one replica and one sentinel (quorum 1) that can be told to fail
//   over (SENTINEL FAILOVER).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Cluster, Redis } from 'ioredis';

export interface HostPort {
  host: string;
  port: number;
}

export interface RedisOptions {
  /** AOF with appendfsync always: what was acknowledged survives kill() and shutdown(). */
  appendonly?: boolean;
  /** Also listen on a unix socket (in the temporary directory); client() connects through it. */
  unixSocket?: boolean;
}

export interface RedisProcess {
  readonly port: number;
  readonly url: string;
  /** The unix socket's path, when started with `unixSocket`. */
  readonly socket: string | undefined;
  /** Its working directory (AOF, cluster config); removed by stop(). */
  readonly dir: string;
  /** A plain ioredis client for assertions (few retries); stop() disconnects it. */
  client(): Redis;
  /** SIGKILL: connections drop at once, nothing more is saved. */
  kill(): Promise<void>;
  /** SIGTERM: Redis shuts down cleanly (the AOF is complete) and keeps its directory. */
  shutdown(): Promise<void>;
  /** Starts again on the same port, socket and directory (after kill or shutdown; kills first if running). */
  restart(): Promise<void>;
  /** SIGSTOP / SIGCONT: the server stays connected but stops answering (a "slow" Redis). */
  pause(): void;
  resume(): void;
  /** Kills it, disconnects the clients made by client() and removes its directory. */
  stop(): Promise<void>;
}

export function redisServerAvailable(): boolean {
  return spawnSync('redis-server', ['--version']).status === 0;
}

const running = new Set<ChildProcess>();
const dirs = new Set<string>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  server.close();
  await once(server, 'close');
  return port;
}

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kb-redis-'));
  dirs.add(dir);
  return dir;
}

function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  dirs.delete(dir);
}

/** Spawns redis-server with `args` and resolves once it accepts connections. */
async function spawnRedis(args: string[]): Promise<ChildProcess> {
  // A sentinel does not log "Ready to accept connections"; its ID comes after its listener is up.
  const readyLine = args.includes('--sentinel') ? 'Sentinel ID is' : 'Ready to accept connections';
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  try {
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${out}`)), 15_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes(readyLine)) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.stderr!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited (${code}): ${out}`));
      });
    });
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  child.stdout!.removeAllListeners('data').resume();
  child.stderr!.removeAllListeners('data').resume();
  return child;
}

async function stopChild(child: ChildProcess | undefined, signal: 'SIGKILL' | 'SIGTERM'): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  await exited;
}

function plainClient(options: { port: number } | { path: string }): Redis {
  const client = new Redis({ ...options, host: '127.0.0.1', maxRetriesPerRequest: 1, retryStrategy: (n) => Math.min(n * 50, 500) });
  client.on('error', () => {});
  return client;
}

interface ServerSetup extends RedisOptions {
  /** Extra arguments (cluster mode, replicaof); made anew for each attempt at a free port. */
  extraArgs?: string[] | (() => Promise<string[]>);
  /** Runs as a sentinel with this config file text (`port` and `dir` are added). */
  sentinelConfig?: string;
}

async function startServer(setup: ServerSetup): Promise<RedisProcess> {
  const dir = tempDir();
  const socket = setup.unixSocket ? path.join(dir, 'redis.sock') : undefined;
  let port = 0;
  let child: ChildProcess | undefined;
  const clients: Redis[] = [];

  let extraArgs: string[] = [];
  const args = () => {
    if (setup.sentinelConfig !== undefined) {
      const file = path.join(dir, 'sentinel.conf');
      // Sentinel rewrites its config file (discovered replicas, epochs): write it only once.
      if (child === undefined) writeFileSync(file, `port ${port}\nbind 127.0.0.1\nprotected-mode no\ndir ${dir}\n${setup.sentinelConfig}\n`);
      return [file, '--sentinel'];
    }
    return [
      '--port', String(port),
      '--bind', '127.0.0.1',
      '--protected-mode', 'no',
      '--dir', dir,
      '--save', '',
      ...(setup.appendonly ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']),
      ...(socket !== undefined ? ['--unixsocket', socket] : []),
      ...extraArgs,
    ];
  };

  // A free port can be taken by someone else before redis-server binds it: try another then.
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    extraArgs = typeof setup.extraArgs === 'function' ? await setup.extraArgs() : (setup.extraArgs ?? []);
    try {
      child = await spawnRedis(args());
      break;
    } catch (err) {
      if (attempt >= 3 || !String(err).includes('Address already in use')) {
        removeDir(dir);
        throw err;
      }
    }
  }

  const kill = async () => {
    await stopChild(child, 'SIGKILL');
  };
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    socket,
    dir,
    client() {
      const c = plainClient(socket !== undefined ? { path: socket } : { port });
      clients.push(c);
      return c;
    },
    kill,
    shutdown: () => stopChild(child, 'SIGTERM'),
    async restart() {
      await kill();
      child = await spawnRedis(args());
    },
    pause: () => void child?.kill('SIGSTOP'),
    resume: () => void child?.kill('SIGCONT'),
    async stop() {
      for (const c of clients.splice(0)) c.disconnect();
      await kill();
      removeDir(dir);
    },
  };
}

export function startRedis(opts: RedisOptions = {}): Promise<RedisProcess> {
  return startServer(opts);
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms${last ? ` (${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// ── Redis Cluster ──────────────────────────────────────────────────────────────────────────────

export interface RedisClusterProcess {
  /** The masters' addresses (config `redis.cluster.nodes`). */
  readonly nodes: readonly HostPort[];
  readonly servers: readonly RedisProcess[];
  /** The port of the master that serves `key` (its hash slot; `{tag}`s count). */
  portOf(key: string): Promise<number>;
  /** An ioredis Cluster client for assertions; stop() disconnects it. */
  client(): Cluster;
  stop(): Promise<void>;
}

const SLOTS = 16_384;

/** Starts `masters` cluster-enabled servers, splits the slots among them, and waits for cluster_state:ok. */
export async function startRedisCluster(opts: { masters?: number } = {}): Promise<RedisClusterProcess> {
  const masters = opts.masters ?? 3;
  const servers: RedisProcess[] = [];
  const admin: Redis[] = [];
  const clients: Cluster[] = [];
  const stop = async () => {
    for (const c of clients.splice(0)) c.disconnect();
    for (const c of admin.splice(0)) c.disconnect();
    await Promise.all(servers.map((s) => s.stop()));
  };
  try {
    for (let i = 0; i < masters; i++) {
      servers.push(
        await startServer({
          // The cluster bus port is chosen too: the default (port + 10000) may be taken or out of range.
          extraArgs: async () => ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-port', String(await freePort()), '--cluster-node-timeout', '2000'],
        }),
      );
      admin.push(plainClient({ port: servers[i]!.port }));
    }
    for (let i = 0; i < masters; i++) {
      const first = Math.floor((SLOTS * i) / masters);
      const last = Math.floor((SLOTS * (i + 1)) / masters) - 1;
      await admin[i]!.call('CLUSTER', 'ADDSLOTS', ...Array.from({ length: last - first + 1 }, (_, k) => String(first + k)));
    }
    for (let i = 1; i < masters; i++) {
      const busPort = (await admin[i]!.call('CONFIG', 'GET', 'cluster-port')) as string[];
      await admin[0]!.call('CLUSTER', 'MEET', '127.0.0.1', String(servers[i]!.port), busPort[1]!);
    }
    // Every node knows every other and sees all slots served.
    for (const node of admin) {
      await until(
        'cluster_state:ok',
        async () => {
          const info = String(await node.call('CLUSTER', 'INFO'));
          return info.includes('cluster_state:ok') && info.includes(`cluster_known_nodes:${masters}`) && info.includes(`cluster_slots_ok:${SLOTS}`) ? true : undefined;
        },
        20_000,
      );
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    nodes: servers.map((s) => ({ host: '127.0.0.1', port: s.port })),
    servers,
    async portOf(key) {
      const slot = Number(await admin[0]!.call('CLUSTER', 'KEYSLOT', key));
      const ranges = (await admin[0]!.call('CLUSTER', 'SLOTS')) as [number, number, [string, number, ...unknown[]]][];
      const range = ranges.find(([first, last]) => slot >= first && slot <= last);
      if (range === undefined) throw new Error(`no node serves slot ${slot}`);
      return Number(range[2][1]);
    },
    client() {
      const c = new Cluster(
        servers.map((s) => ({ host: '127.0.0.1', port: s.port })),
        { redisOptions: { maxRetriesPerRequest: 1 }, clusterRetryStrategy: (n) => Math.min(n * 100, 1_000) },
      );
      c.on('error', () => {});
      clients.push(c);
      return c;
    },
    stop,
  };
}

// ── Redis Sentinel ─────────────────────────────────────────────────────────────────────────────

export interface RedisSentinelProcess {
  /** The monitored master's name (config `redis.sentinel.name`). */
  readonly name: string;
  /** The sentinel's address (config `redis.sentinel.nodes`). */
  readonly sentinel: HostPort;
  /** The two data servers: master and replica at the start, swapped by each failover. */
  readonly servers: readonly RedisProcess[];
  /** The master's port as the sentinel announces it now. */
  masterPort(): Promise<number>;
  /**
   * SENTINEL FAILOVER: resolves once the sentinel announces the replica as the new master and that
   * server accepts writes. The old master stays a master until the sentinel demotes it, ~10 s later.
   */
  failover(timeoutMs?: number): Promise<{ from: number; to: number }>;
  /**
   * SENTINEL FAILOVER, resolving as soon as the replica has been promoted (ROLE master): before the
   * sentinel announces it (about a second later), while clients still use the old master.
   */
  beginFailover(timeoutMs?: number): Promise<{ from: number; to: number }>;
  /** Resolves once the sentinel announces `port` as the master. */
  announced(port: number, timeoutMs?: number): Promise<void>;
  /**
   * Makes the other server a replica of the announced master right away (what the sentinel does
   * ~10 s after a failover) and waits until it is in sync: ready for the next failover.
   */
  settle(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

async function role(client: Redis): Promise<string> {
  const answer = (await client.call('ROLE')) as unknown[];
  return String(answer[0]);
}

/** INFO replication's fields of one server. */
async function replicationInfo(client: Redis): Promise<Map<string, string>> {
  const text = String(await client.call('INFO', 'replication'));
  return new Map(text.split('\r\n').filter((l) => l.includes(':')).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1)] as [string, string]));
}

function fields(flat: unknown): Map<string, string> {
  const list = flat as string[];
  const out = new Map<string, string>();
  for (let i = 0; i + 1 < list.length; i += 2) out.set(list[i]!, list[i + 1]!);
  return out;
}

export async function startRedisSentinel(opts: { name?: string } = {}): Promise<RedisSentinelProcess> {
  const name = opts.name ?? 'kbmaster';
  const servers: RedisProcess[] = [];
  const admin: Redis[] = [];
  let sentinel: RedisProcess | undefined;
  const stop = async () => {
    for (const c of admin.splice(0)) c.disconnect();
    await Promise.all([...servers, ...(sentinel ? [sentinel] : [])].map((s) => s.stop()));
  };
  let sentinelClient: Redis;
  try {
    // No 5 s wait for more replicas before the first full sync.
    const master = await startServer({ extraArgs: ['--repl-diskless-sync-delay', '0'] });
    servers.push(master);
    servers.push(await startServer({ extraArgs: ['--replicaof', '127.0.0.1', String(master.port), '--repl-diskless-sync-delay', '0'] }));
    admin.push(plainClient({ port: servers[0]!.port }), plainClient({ port: servers[1]!.port }));
    // The sentinel learns of the replica from the master's INFO, which it asks for once at start and
    // then every 10 s: start it only once the master lists its replica as online.
    await until('replica in sync', async () => ((await replicationInfo(admin[1]!)).get('master_link_status') === 'up' ? true : undefined), 15_000);
    await until('master sees its replica', async () => ((await replicationInfo(admin[0]!)).get('slave0')?.includes('state=online') ? true : undefined), 15_000);
    sentinel = await startServer({
      sentinelConfig: [
        `sentinel monitor ${name} 127.0.0.1 ${master.port} 1`,
        `sentinel down-after-milliseconds ${name} 2000`,
        `sentinel failover-timeout ${name} 10000`,
        `sentinel parallel-syncs ${name} 1`,
      ].join('\n'),
    });
    sentinelClient = plainClient({ port: sentinel.port });
    admin.push(sentinelClient);
    await until(
      'sentinel sees the replica',
      async () => {
        const replicas = (await sentinelClient.call('SENTINEL', 'REPLICAS', name)) as unknown[];
        return replicas.map(fields).some((r) => r.get('flags') === 'slave' && r.get('master-link-status') === 'ok') ? true : undefined;
      },
      15_000,
    );
  } catch (err) {
    await stop();
    throw err;
  }

  const masterPort = async () => Number(((await sentinelClient.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', name)) as string[])[1]);
  const beginFailover = async (timeoutMs = 20_000) => {
    const from = await masterPort();
    const deadline = Date.now() + timeoutMs;
    // NOGOODSLAVE while the sentinel has no fresh view of the replica yet: ask again.
    await until(
      'SENTINEL FAILOVER accepted',
      async () => ((await sentinelClient.call('SENTINEL', 'FAILOVER', name)) === 'OK' ? true : undefined),
      Math.max(1, deadline - Date.now()),
    );
    const others = servers.map((s, i) => ({ port: s.port, client: admin[i]! })).filter((s) => s.port !== from);
    const to = await until(
      'the replica promoted',
      async () => {
        for (const s of others) if ((await role(s.client)) === 'master') return s.port;
        return undefined;
      },
      Math.max(1, deadline - Date.now()),
    );
    return { from, to };
  };
  const announced = async (port: number, timeoutMs = 20_000) => {
    await until('the new master announced', async () => ((await masterPort()) === port ? true : undefined), timeoutMs);
  };
  const failover = async (timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    const moved = await beginFailover(timeoutMs);
    await announced(moved.to, Math.max(1, deadline - Date.now()));
    return moved;
  };
  const settle = async (timeoutMs = 20_000) => {
    const master = await masterPort();
    const i = servers.findIndex((s) => s.port !== master);
    await admin[i]!.call('REPLICAOF', '127.0.0.1', String(master));
    await until('the old master in sync as a replica', async () => ((await replicationInfo(admin[i]!)).get('master_link_status') === 'up' ? true : undefined), timeoutMs);
  };
  return {
    name,
    sentinel: { host: '127.0.0.1', port: sentinel.port },
    servers,
    masterPort,
    beginFailover,
    announced,
    failover,
    settle,
    stop,
  };
}
