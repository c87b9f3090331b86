// Express settings klantbrug relies on. Call before registering any route or middleware
// (Express reads the routing settings when it creates its router).
import type { Express, Request } from 'express';
import type { ServerConfig } from '../config/schema.ts';

export function configureApp(app: Express, server: Pick<ServerConfig, 'trustProxy'>): void {
  app.disable('x-powered-by');
  // ETags are strong hashes of the exact bytes, computed by the representation cache.
  app.set('etag', false);
  // X-Forwarded-* only from these peers (Express resolves req.protocol / req.hostname / req.ip with it).
  app.set('trust proxy', [...server.trustProxy]);
  app.set('strict routing', true);
  app.set('case sensitive routing', true);
  app.set('query parser', 'simple');
}

/** Whether the direct peer is a trusted proxy (for headers Express does not handle: X-Forwarded-Prefix, Forwarded). */
export function isTrustedPeer(req: Request): boolean {
  const trust = req.app.get('trust proxy fn') as ((addr: string, i: number) => boolean) | undefined;
  const addr = req.socket.remoteAddress;
  return trust !== undefined && addr !== undefined && trust(addr, 0);
}
