// Notifications delivered to a real HTTP receiver from real outboxes (file, Redis).
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt, hmacKey, signatureMatches } from '../../../src/auth/jwt.ts';
import { parseConfig } from '../../../src/config/index.ts';
import type { KlantNotification } from '../../../src/klanten/write-ports.ts';
import {
  createNotifier,
  DISABLED_NOTIFIER,
  FileOutbox,
  notificatiesEndpoint,
  Notifier,
  RedisOutbox,
  retryDelay,
  type Outbox,
} from '../../../src/notifications/index.ts';
import { startRedis, type RedisProcess } from '../../support/redis-process.ts';
import { startReceiver, until, type Receiver } from './receiver.ts';

const logger = pino({ level: 'silent' });
const dir = mkdtempSync(path.join(tmpdir(), 'kb-notify-'));
let n = 0;
const outboxFile = () => path.join(dir, `outbox-${n++}.jsonl`);
const SECRET = 'nrc-secret-0123456789';

let receiver: Receiver;
const running: Notifier[] = [];

beforeAll(async () => {
  receiver = await startReceiver();
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((x) => x.stop(200)));
  receiver.received.length = 0;
  receiver.accepted.length = 0;
  receiver.mode = 'ok';
  await receiver.up();
});
afterAll(async () => {
  await receiver.close();
  rmSync(dir, { recursive: true, force: true });
});

function notification(i = 0): KlantNotification {
  const url = `https://klanten.example.nl/api/v1/klanten/3f2504e0-4f89-41d3-9a0c-0305e82c33${String(i).padStart(2, '0')}`;
  return {
    kanaal: 'klanten',
    hoofdObject: url,
    resource: 'klant',
    resourceUrl: url,
    actie: 'create',
    aanmaakdatum: '2024-05-01T10:00:00.000Z',
    kenmerken: { subjectType: 'natuurlijk_persoon' },
  };
}

function notifier(outbox: Outbox, opts: { maxAttempts?: number; timeoutMs?: number } = {}): Notifier {
  const x = new Notifier({
    outbox,
    target: { endpoint: notificatiesEndpoint(receiver.url), clientId: 'klantbrug', secret: SECRET, timeoutMs: opts.timeoutMs ?? 1_000 },
    kanaal: 'klanten',
    retry: { maxAttempts: opts.maxAttempts ?? 50, baseDelayMs: 20, maxDelayMs: 100 },
    logger,
    pollIntervalMs: 50,
  });
  x.start();
  running.push(x);
  return x;
}

describe('delivery', () => {
  it('POSTs the kanaal klanten notification to <url>/notificaties with a signed JWT', async () => {
    const x = notifier(FileOutbox.memory());
    await x.enqueue(notification(1));
    await until(() => receiver.accepted.length === 1);
    const got = receiver.accepted[0]!;
    expect(got.path).toBe('/api/v1/notificaties');
    expect(got.contentType).toBe('application/json');
    expect(got.body).toEqual(notification(1));
    const jwt = decodeJwt(got.authorization.replace(/^Bearer /, ''));
    expect(jwt?.payload['client_id']).toBe('klantbrug');
    expect(jwt && signatureMatches(hmacKey(SECRET), jwt)).toBe(true);
    expect(jwt && signatureMatches(hmacKey('another-secret-xx'), jwt)).toBe(false);
  });

  it('takes the url as the API root unless it already names /notificaties', () => {
    expect(notificatiesEndpoint('https://nrc.nl/api/v1')).toBe('https://nrc.nl/api/v1/notificaties');
    expect(notificatiesEndpoint('https://nrc.nl/api/v1/')).toBe('https://nrc.nl/api/v1/notificaties');
    expect(notificatiesEndpoint('https://nrc.nl/api/v1/notificaties')).toBe('https://nrc.nl/api/v1/notificaties');
  });

  it('backs off exponentially with jitter, capped', () => {
    const cfg = { maxAttempts: 10, baseDelayMs: 1_000, maxDelayMs: 10_000 };
    expect(retryDelay(1, cfg, () => 0)).toBe(500);
    expect(retryDelay(1, cfg, () => 0.999)).toBeCloseTo(1_000, -1);
    expect(retryDelay(3, cfg, () => 0)).toBe(2_000);
    expect(retryDelay(20, cfg, () => 0.999)).toBeLessThanOrEqual(10_000);
  });
});

describe('a failing Notificaties API', () => {
  it('never slows enqueue: a receiver that does not answer costs the write nothing', async () => {
    receiver.mode = 'hang';
    const x = notifier(await FileOutbox.open(outboxFile()), { timeoutMs: 2_000 });
    const t0 = performance.now();
    for (let i = 0; i < 5; i++) await x.enqueue(notification(i));
    expect(performance.now() - t0).toBeLessThan(200);
  });

  it('receiver down, then up: delivered later, once', async () => {
    await receiver.down();
    const outbox = await FileOutbox.open(outboxFile());
    const x = notifier(outbox);
    await x.enqueue(notification(2));
    await until(() => x.stats.failedAttempts >= 2);
    expect(await outbox.size()).toBe(1);
    await receiver.up();
    await until(() => receiver.accepted.length === 1);
    await until(async () => (await outbox.size()) === 0);
    await new Promise((r) => setTimeout(r, 150)); // time for a wrong second delivery
    expect(receiver.accepted).toHaveLength(1);
    expect(x.stats.delivered).toBe(1);
  });

  it('answers of 500 are retried; after maxAttempts the notification is given up', async () => {
    receiver.mode = 'fail';
    const outbox = FileOutbox.memory();
    const x = notifier(outbox, { maxAttempts: 3 });
    await x.enqueue(notification(3));
    await until(() => x.stats.givenUp === 1);
    expect(receiver.received).toHaveLength(3);
    expect(await outbox.size()).toBe(0);
  });
});

describe('the durable outbox', () => {
  it('survives a restart: a new notifier on the same file delivers what was pending', async () => {
    await receiver.down();
    const file = outboxFile();
    const first = notifier(await FileOutbox.open(file));
    await first.enqueue(notification(4));
    await first.enqueue(notification(5));
    await first.stop(100);
    expect(receiver.accepted).toHaveLength(0);

    await receiver.up();
    const reopened = await FileOutbox.open(file);
    expect(await reopened.size()).toBe(2);
    notifier(reopened);
    await until(() => receiver.accepted.length === 2);
    expect(receiver.accepted.map((r) => r.body.resourceUrl).sort()).toEqual([notification(4).resourceUrl, notification(5).resourceUrl]);
    await until(async () => (await reopened.size()) === 0);
    const third = await FileOutbox.open(file);
    expect(await third.size()).toBe(0); // delivered entries are gone from the file too
    await third.close();
  });

  it('stop() gives up waiting at its deadline and leaves the entry queued', async () => {
    receiver.mode = 'hang';
    const file = outboxFile();
    const x = notifier(await FileOutbox.open(file), { timeoutMs: 5_000 });
    await x.enqueue(notification(6));
    await until(() => receiver.received.length === 1);
    const t0 = performance.now();
    await x.stop(150);
    expect(performance.now() - t0).toBeLessThan(1_000);
    const reopened = await FileOutbox.open(file);
    expect(await reopened.size()).toBe(1);
    await reopened.close();
  });

  it('compacts its file once delivered lines dominate', async () => {
    const file = outboxFile();
    const outbox = await FileOutbox.open(file, { compactAfter: 20 });
    const x = notifier(outbox);
    for (let i = 0; i < 60; i++) await x.enqueue(notification(i));
    await until(() => receiver.accepted.length === 60);
    await until(async () => (await outbox.size()) === 0);
    // 60 add + 60 done lines without compaction (~20 KB); compacted it stays far below that.
    expect(statSync(file).size).toBeLessThan(60 * 200);
  });
});

describe('configuration', () => {
  it('is off without notificaties.url', async () => {
    const config = parseConfig({ identity: { secret: 'x'.repeat(20) } }, { env: {} });
    expect(await createNotifier({ config: config.notificaties, keyPrefix: 'kb', logger })).toBe(DISABLED_NOTIFIER);
  });

  it('uses outboxFile without Redis', async () => {
    const file = outboxFile();
    const config = parseConfig(
      { identity: { secret: 'x'.repeat(20) }, notificaties: { url: receiver.url, clientId: 'kb', secret: SECRET, outboxFile: file } },
      { env: {} },
    );
    const x = await createNotifier({ config: config.notificaties, keyPrefix: 'kb', logger, pollIntervalMs: 50 });
    await x.enqueue(notification(7));
    await until(() => receiver.accepted.length === 1);
    expect(existsSync(file)).toBe(true);
    await x.stop(100);
  });
});

describe('Redis outbox (real redis-server)', () => {
  let redis: RedisProcess;
  beforeAll(async () => {
    redis = await startRedis({ appendonly: true, unixSocket: true });
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('two instances sharing one outbox deliver every notification once', async () => {
    const a = notifier(new RedisOutbox(redis.client(), 'kbtwo'));
    const b = notifier(new RedisOutbox(redis.client(), 'kbtwo'));
    await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).enqueue(notification(i))));
    await until(() => receiver.accepted.length >= 40);
    await new Promise((r) => setTimeout(r, 150));
    const urls = receiver.accepted.map((r) => r.body.resourceUrl);
    expect(new Set(urls).size).toBe(40);
    expect(urls).toHaveLength(40);
    expect(a.stats.delivered).toBeGreaterThan(0);
    expect(b.stats.delivered).toBeGreaterThan(0);
  });

  it('pending entries survive a restart of the gateway and of Redis', async () => {
    await receiver.down();
    const first = notifier(new RedisOutbox(redis.client(), 'kbrestart'));
    await first.enqueue(notification(8));
    await first.stop(100);
    await redis.shutdown();
    await redis.restart();
    await receiver.up();
    const outbox = new RedisOutbox(redis.client(), 'kbrestart');
    await until(async () => (await outbox.size().catch(() => -1)) === 1);
    notifier(outbox);
    await until(() => receiver.accepted.length === 1);
    expect(receiver.accepted[0]?.body.resourceUrl).toBe(notification(8).resourceUrl);
  });

  it('an entry claimed by an instance that died is delivered by another after its lease', async () => {
    const client = redis.client();
    const dead = new RedisOutbox(client, 'kblease');
    const now = Date.now();
    await dead.add({ id: 'x1', payload: { ...notification(9), kanaal: 'klanten' }, attempts: 0, createdAt: now, dueAt: now });
    expect(await dead.claim(Date.now(), 10, 300)).toHaveLength(1); // claimed, then "crashed"
    const live = new RedisOutbox(client, 'kblease');
    expect(await live.claim(Date.now(), 10, 300)).toHaveLength(0); // leased to the dead one
    notifier(live);
    await until(() => receiver.accepted.length === 1, 3_000);
  });
});
