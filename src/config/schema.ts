// The one configuration format of klantbrug, validated once at start-up. Every key has a default
// except the ones that only make sense per deployment; config/example.yaml documents each of them.
// Objects are strict so a misspelt key is an error, not a silently ignored setting.
import { isIP } from 'node:net';
import { z } from 'zod';
import { SCOPES } from '../auth/scopes.ts';

const KIB = 1024;
const MIB = 1024 * KIB;

const ms = (def: number) => z.number().int().min(0).default(def);
const positive = (def: number) => z.number().int().min(1).default(def);

const httpUrl = z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' });

/** An IPv4/IPv6 address, a CIDR range, or one of the named ranges Express understands. */
const trustEntry = z.string().refine(isTrustEntry, {
  error: 'expected an IP address, a CIDR range, or loopback / linklocal / uniquelocal',
});

function isTrustEntry(value: string): boolean {
  if (value === 'loopback' || value === 'linklocal' || value === 'uniquelocal') return true;
  const [address, bits, ...rest] = value.split('/');
  if (rest.length > 0 || address === undefined) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

const linkStyle = z.enum(['absolute', 'relative']);

const serverSchema = z.strictObject({
  port: z.number().int().min(0).max(65535).default(8000),
  host: z.string().min(1).default('0.0.0.0'),
  /** Fixed public base URL (scheme, host, path prefix); when absent it is derived per request. */
  publicBaseUrl: httpUrl
    .refine((u) => !u.includes('?') && !u.includes('#'), { error: 'must not have a query or fragment' })
    .transform((u) => u.replace(/\/+$/, ''))
    .optional(),
  trustProxy: z.array(trustEntry).default(['loopback']),
  bodyLimitBytes: positive(100 * KIB),
  maxHeaderBytes: positive(16 * KIB),
  links: linkStyle.default('absolute'),
  strict: z.boolean().default(false),
  shutdownTimeoutMs: ms(10_000),
  requestTimeoutMs: ms(30_000),
  keepAliveTimeoutMs: ms(5_000),
  cors: z.strictObject({ origins: z.array(z.string().min(1)).default([]) }).prefault({}),
});

const apiSchema = z.strictObject({
  pageSize: z.number().int().min(1).max(1000).default(100),
});

const identitySchema = z.strictObject({
  /** HMAC key that turns backend keys into stable klant UUIDs; changing it changes every id. */
  secret: z.string().min(16, { error: 'must be at least 16 characters' }),
});

const stufSystem = (applicatie: string) =>
  z
    .strictObject({
      organisatie: z.string().max(200).optional(),
      applicatie: z.string().min(3).max(50).default(applicatie),
      administratie: z.string().max(50).optional(),
      gebruiker: z.string().max(100).optional(),
    })
    .prefault({});

const backendSchema = z
  .strictObject({
    kind: z.enum(['embedded', 'stuf']).default('embedded'),
    endpoint: httpUrl.optional(),
    mapping: z.string().min(1).default('mappings/stuf-bg-0310.yaml'),
    zender: stufSystem('klantbrug'),
    ontvanger: stufSystem('SIMULATOR'),
    connectTimeoutMs: ms(2_000),
    questionTimeoutMs: ms(10_000),
    kennisgevingTimeoutMs: ms(15_000),
    maxResponseBytes: positive(10 * MIB),
    connections: positive(16),
    validateOutgoing: z.boolean().default(false),
    retries: z
      .strictObject({ questions: z.number().int().min(0).max(10).default(2), baseDelayMs: ms(100) })
      .prefault({}),
    breaker: z.strictObject({ failureThreshold: positive(5), openMs: ms(30_000) }).prefault({}),
    maxConcurrent: positive(32),
    queueLimit: z.number().int().min(0).default(256),
    listBatchSize: z.number().int().min(1).max(10_000).default(100),
    /** A whole list request (all its Lv01 pages) within this long, else 504; 0 = no bound. */
    listTimeoutMs: z.number().int().min(0).default(30_000),
    /** A create accepted but not read back is looked up in the background this long (klanten/create-reconciler.ts); 0 = not. */
    createReconcileWindowMs: ms(120_000),
  })
  .superRefine((b, ctx) => {
    if (b.kind === 'stuf' && b.endpoint === undefined) {
      ctx.addIssue({ code: 'custom', path: ['endpoint'], message: "required when backend.kind is 'stuf'" });
    }
  });

const simulatorSchema = z.strictObject({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(0),
  latencyMs: ms(0),
  demo: z.boolean().default(true),
  seed: z.number().int().default(1),
  snapshotFile: z.string().min(1).optional(),
});

const hostPort = z.strictObject({ host: z.string().min(1), port: z.number().int().min(1).max(65535) });

const redisSchema = z
  .strictObject({
    url: z.url({ protocol: /^rediss?$/, error: 'expected a redis:// or rediss:// URL' }).optional(),
    keyPrefix: z.string().min(1).default('kb'),
    password: z.string().optional(),
    sentinel: z
      .strictObject({
        name: z.string().min(1),
        nodes: z.array(hostPort).min(1),
        password: z.string().optional(),
        sentinelPassword: z.string().optional(),
        tls: z.boolean().default(false),
      })
      .optional(),
    cluster: z.strictObject({ nodes: z.array(hostPort).default([]) }).prefault({}),
    connectTimeoutMs: ms(2_000),
    commandTimeoutMs: ms(500),
  })
  .superRefine((r, ctx) => {
    const modes = [r.url !== undefined, r.sentinel !== undefined, r.cluster.nodes.length > 0].filter(Boolean);
    if (modes.length > 1) {
      ctx.addIssue({ code: 'custom', path: [], message: 'give only one of url, sentinel, cluster.nodes' });
    }
  });

const cacheSchema = z.strictObject({
  ttlSeconds: z.number().int().min(0).default(300),
  l1MaxEntries: z.number().int().min(0).default(10_000),
  l1MaxBytes: z.number().int().min(0).default(64 * MIB),
});

export const scopeSchema = z.enum(SCOPES);

const clientSchema = z.strictObject({
  clientId: z.string().min(1),
  secret: z.string().min(1),
  scopes: z.array(scopeSchema).default([]),
  heeftAlleAutorisaties: z.boolean().default(false),
  applicatieWeergave: z.string().default(''),
});

const authSchema = z.strictObject({
  clients: z.array(clientSchema).default([]).superRefine((clients, ctx) => {
    const seen = new Set<string>();
    clients.forEach((c, i) => {
      if (seen.has(c.clientId)) ctx.addIssue({ code: 'custom', path: [i, 'clientId'], message: 'duplicate clientId' });
      seen.add(c.clientId);
    });
  }),
  leewaySeconds: z.number().int().min(0).max(3600).default(60),
  maxTokenAgeSeconds: z.number().int().min(1).optional(),
  /** Verified tokens kept in memory (exact token → principal). */
  tokenCacheSize: z.number().int().min(0).default(10_000),
  /** Rights of clients that have none in `clients` come from this ZGW Autorisaties API (src/auth/autorisaties-rights.ts). */
  autorisatiesApi: z
    .strictObject({
      url: httpUrl,
      clientId: z.string().min(1),
      secret: z.string().min(1),
      timeoutMs: positive(3_000),
      /** An answer is used this long before it is asked again (in the background). */
      cacheSeconds: z.number().int().min(1).default(60),
      /** While the AC fails, its last answer is still used this long after cacheSeconds. */
      graceSeconds: z.number().int().min(0).default(900),
    })
    .optional(),
});

const rateLimitSchema = z.strictObject({
  /** Sustained requests per client per minute; 0 switches rate limiting off. */
  perClientPerMinute: z.number().int().min(0).default(6_000),
  burst: z.number().int().min(1).default(500),
});

const notificatiesSchema = z
  .strictObject({
    url: httpUrl.optional(),
    clientId: z.string().min(1).optional(),
    secret: z.string().min(1).optional(),
    kanaal: z.string().min(1).default('klanten'),
    timeoutMs: ms(5_000),
    outboxFile: z.string().min(1).optional(),
    retry: z
      .strictObject({
        maxAttempts: positive(10),
        baseDelayMs: ms(1_000),
        maxDelayMs: ms(5 * 60_000),
      })
      .prefault({}),
  })
  .superRefine((n, ctx) => {
    if (n.url === undefined) return;
    if (n.clientId === undefined) ctx.addIssue({ code: 'custom', path: ['clientId'], message: 'required when url is set' });
    if (n.secret === undefined) ctx.addIssue({ code: 'custom', path: ['secret'], message: 'required when url is set' });
  });

/** Where AuditTrail entries are kept (src/audit): see config/example.yaml. */
const auditSchema = z
  .strictObject({
    store: z.enum(['auto', 'redis', 'file', 'memory']).default('auto'),
    file: z.string().min(1).optional(),
    fsync: z.boolean().default(true),
    /** Redis store: replicas that must hold an entry before the write is answered (WAIT; 0 = off). */
    redisReplicas: z.number().int().min(0).max(16).default(0),
    redisReplicaTimeoutMs: ms(250),
  })
  .superRefine((a, ctx) => {
    if (a.store === 'file' && a.file === undefined) {
      ctx.addIssue({ code: 'custom', path: ['file'], message: "required when store is 'file'" });
    }
  });

const subjectCheckSchema = z.strictObject({
  enabled: z.boolean().default(true),
  timeoutMs: ms(3_000),
  maxRedirects: z.number().int().min(0).max(10).default(3),
  /** Hosts a `subject` URL may point at; empty = any public host. */
  allowHosts: z.array(z.string().min(1)).default([]),
  allowPrivate: z.boolean().default(false),
});

const upstreamSchema = z.strictObject({
  name: z.string().min(1),
  prefix: z
    .string()
    .regex(/^\/[^?#]*$/, { error: 'must be a path starting with /' })
    .transform((p) => (p.length > 1 ? p.replace(/\/+$/, '') : p)),
  target: httpUrl,
  timeoutMs: ms(10_000),
  links: linkStyle.optional(),
});

const upstreamsSchema = z
  .array(upstreamSchema)
  .default([])
  .superRefine((ups, ctx) => {
    const names = new Set<string>();
    const prefixes = new Set<string>();
    ups.forEach((u, i) => {
      if (names.has(u.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: 'duplicate name' });
      if (prefixes.has(u.prefix)) ctx.addIssue({ code: 'custom', path: [i, 'prefix'], message: 'duplicate prefix' });
      names.add(u.name);
      prefixes.add(u.prefix);
    });
  });

const logSchema = z.strictObject({
  level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export const configSchema = z.strictObject({
  server: serverSchema.prefault({}),
  api: apiSchema.prefault({}),
  // An absent section is parsed as {} so the error names identity.secret, the key to add.
  identity: identitySchema.prefault({} as z.input<typeof identitySchema>),
  backend: backendSchema.prefault({}),
  simulator: simulatorSchema.prefault({}),
  redis: redisSchema.prefault({}),
  cache: cacheSchema.prefault({}),
  auth: authSchema.prefault({}),
  rateLimit: rateLimitSchema.prefault({}),
  notificaties: notificatiesSchema.prefault({}),
  subjectCheck: subjectCheckSchema.prefault({}),
  audit: auditSchema.prefault({}),
  upstreams: upstreamsSchema,
  log: logSchema.prefault({}),
});

export type Config = z.output<typeof configSchema>;
export type ServerConfig = Config['server'];
export type ApiConfig = Config['api'];
export type IdentityConfig = Config['identity'];
export type BackendConfig = Config['backend'];
export type SimulatorConfig = Config['simulator'];
export type RedisConfig = Config['redis'];
export type CacheConfig = Config['cache'];
export type AuthConfig = Config['auth'];
export type ClientConfig = AuthConfig['clients'][number];
export type RateLimitConfig = Config['rateLimit'];
export type NotificatiesConfig = Config['notificaties'];
export type SubjectCheckConfig = Config['subjectCheck'];
export type AuditConfig = Config['audit'];
export type UpstreamConfig = Config['upstreams'][number];
export type LogConfig = Config['log'];
export type LinkStyle = z.output<typeof linkStyle>;
