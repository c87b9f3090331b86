// Cross-instance invalidation of in-process copies over Redis pub/sub, acknowledged.
//
// A write publishes `<id> <from> <resource...>` on `<prefix>:inval`. Every other instance drops
// those resources from its in-process tier and answers on `<prefix>:ack:<from>`. The writer waits
// until as many acks arrived as PUBLISH counted other subscribers (bounded by ackTimeoutMs), so
// when the write's response leaves, every reachable instance has already forgotten the old bytes.
//
// An instance trusts its in-process tier only while subscribed: on losing the subscription it
// could miss invalidations, so `onLiveChange(false)` is the signal to clear and bypass it until
// the subscription is back.
//
// Redis Cluster: PUBLISH reaches the subscribers on every node (the cluster bus forwards it), but
// its reply counts only the subscribers of the node that received it, and ioredis' Cluster client
// subscribes on a random node and silently moves its subscription when that node goes away. Seen
// on a real cluster: a writer whose PUBLISH landed on another node than the other instance's
// subscription counted 0 receivers and answered without waiting for that instance. So on a
// Cluster the subscription is a plain connection (whose loss this bus sees) to the one node every
// instance picks alike (redis-connection.ts clusterPubSubNode), and the shared tier publishes
// through that node: its count covers every instance again. When the slot map moves that node
// elsewhere, the subscription follows on its next reconnect.
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { Cluster, type Redis } from 'ioredis';
import type { RedisConfig } from '../config/schema.ts';
import { clusterPubSubNode, createNodeClient, createRedisClient, type RedisClient } from './redis-connection.ts';
import type { SharedTier } from './shared-tier.ts';

const RESOURCE_RE = /^(?:lists|klant:[0-9a-f-]{36})$/;

export interface InvalidationBusOptions {
  config: RedisConfig;
  shared: SharedTier;
  instanceId: string;
  logger: Logger;
  ackTimeoutMs: number;
  /** Another instance invalidated these resources. */
  onInvalidate(resources: string[]): void;
  /** The subscription came up (true) or went away (false). */
  onLiveChange(live: boolean): void;
}

export interface PublishOutcome {
  /** Other instances that received the message. */
  receivers: number;
  /** Of those, how many confirmed before the deadline. */
  acked: number;
}

interface Waiter {
  needed: number;
  got: number;
  done: (() => void) | undefined;
}

export class InvalidationBus {
  private subscriber: RedisClient | undefined;
  private readonly opts: InvalidationBusOptions;
  private readonly channel: string;
  private readonly ackChannel: string;
  private readonly waiting = new Map<string, Waiter>();
  private subscribed = false;
  private closed = false;
  private readonly onClusterReady = () => this.followPubSubNode();
  ackTimeouts = 0;

  constructor(opts: InvalidationBusOptions) {
    this.opts = opts;
    this.channel = `${opts.config.keyPrefix}:inval`;
    this.ackChannel = this.ackChannelOf(opts.instanceId);
    const cluster = opts.shared.client;
    if (cluster instanceof Cluster) {
      // The pub/sub node is known once the shared client has the slot map.
      cluster.on('ready', this.onClusterReady);
      if (cluster.status === 'ready') this.followPubSubNode();
    } else {
      this.attach(createRedisClient(opts.config, 'klantbrug-cache-bus'));
    }
  }

  /** Subscribed now: invalidations from other instances reach this one. */
  get live(): boolean {
    return this.subscribed;
  }

  /** Tells every other instance to drop `resources`; resolves when they confirmed or the deadline passed. */
  async publish(resources: readonly string[]): Promise<PublishOutcome> {
    const id = randomBytes(9).toString('base64url');
    const waiter: Waiter = { needed: Infinity, got: 0, done: undefined };
    this.waiting.set(id, waiter);
    try {
      const count = await this.opts.shared.publish(this.channel, `${id} ${this.opts.instanceId} ${resources.join(' ')}`);
      // Our own subscription received it too (when it is up).
      waiter.needed = Math.max(0, count - (this.subscribed ? 1 : 0));
      if (waiter.got < waiter.needed) {
        let timer: NodeJS.Timeout | undefined;
        await new Promise<void>((resolve) => {
          waiter.done = resolve;
          timer = setTimeout(resolve, this.opts.ackTimeoutMs);
        });
        clearTimeout(timer);
        if (waiter.got < waiter.needed) {
          this.ackTimeouts++;
          this.opts.logger.warn(
            { receivers: waiter.needed, acked: waiter.got },
            'cache: not every instance confirmed an invalidation in time',
          );
        }
      }
      return { receivers: waiter.needed, acked: Math.min(waiter.got, waiter.needed) };
    } finally {
      this.waiting.delete(id);
    }
  }

  close(): void {
    this.closed = true;
    const cluster = this.opts.shared.client;
    if (cluster instanceof Cluster) cluster.off('ready', this.onClusterReady);
    this.subscriber?.disconnect();
    this.setLive(false);
  }

  private attach(subscriber: RedisClient): void {
    this.subscriber = subscriber;
    subscriber.on('error', () => {
      // Reported through the shared tier's health; reconnecting is ioredis' job.
    });
    subscriber.on('ready', () => {
      subscriber.subscribe(this.channel, this.ackChannel).then(
        () => {
          if (this.subscriber === subscriber) this.setLive(true);
        },
        (err: unknown) => {
          this.opts.logger.warn({ err: String(err) }, 'cache: subscribing to invalidations failed');
          subscriber.disconnect(true); // try again from a fresh connection
        },
      );
    });
    subscriber.on('close', () => {
      if (this.subscriber === subscriber) this.setLive(false);
    });
    subscriber.on('message', (channel: string, message: string) => {
      if (this.subscriber === subscriber) this.receive(channel, message);
    });
  }

  /** Cluster: subscribe on the pub/sub node; move there when the slot map names another one. */
  private followPubSubNode(): void {
    if (this.closed) return;
    const node = clusterPubSubNode(this.opts.shared.client as Cluster);
    if (node === undefined) return;
    const { host, port } = node.options as { host: string; port: number };
    const current = this.subscriber as Redis | undefined;
    if (current !== undefined && current.options.host === host && current.options.port === port) return;
    current?.disconnect();
    this.setLive(false);
    const subscriber = createNodeClient(this.opts.config, { host, port }, 'klantbrug-cache-bus');
    // While the connection is down, check on every attempt whether the slot map moved the node.
    subscriber.on('reconnecting', () => this.followPubSubNode());
    this.attach(subscriber);
  }

  private ackChannelOf(instanceId: string): string {
    return `${this.opts.config.keyPrefix}:ack:${instanceId}`;
  }

  private receive(channel: string, message: string): void {
    if (channel === this.ackChannel) {
      const waiter = this.waiting.get(message);
      if (waiter === undefined) return;
      waiter.got++;
      if (waiter.got >= waiter.needed) waiter.done?.();
      return;
    }
    if (channel !== this.channel) return;
    const [id, from, ...resources] = message.split(' ');
    if (id === undefined || from === undefined || from === this.opts.instanceId) return;
    this.opts.onInvalidate(resources.filter((r) => RESOURCE_RE.test(r)));
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(from)) return;
    this.opts.shared.publish(this.ackChannelOf(from), id).catch(() => {
      // The writer stops waiting at its deadline.
    });
  }

  private setLive(live: boolean): void {
    if (live === this.subscribed) return;
    this.subscribed = live;
    this.opts.onLiveChange(live);
  }
}
