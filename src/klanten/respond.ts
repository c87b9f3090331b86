// Sending a JSON representation with HTTP caching semantics (RFC 9110): a strong ETag over the
// exact bytes, If-None-Match (one, several, weak or `*`) → 304 without body, HEAD = GET's headers.
import type { Request, Response } from 'express';
import { ifNoneMatchMatches, strongEtag } from '../representation/etag.ts';

export interface Representation {
  body: Buffer;
  etag: string;
}

export function toRepresentation(json: unknown): Representation {
  const body = Buffer.from(JSON.stringify(json), 'utf8');
  return { body, etag: strongEtag(body) };
}

export function sendRepresentation(req: Request, res: Response, rep: Representation): void {
  res.setHeader('ETag', rep.etag);
  // Shared caches must not reuse one client's bytes for another: authorization decides first.
  res.setHeader('Cache-Control', 'private, no-cache');
  res.setHeader('Vary', 'Authorization, Accept, X-Forwarded-Host, X-Forwarded-Proto, X-Forwarded-Prefix, Forwarded');
  if (ifNoneMatchMatches(req.headers['if-none-match'], rep.etag)) {
    res.status(304).end();
    return;
  }
  res.status(200);
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Content-Length', rep.body.length);
  if (req.method === 'HEAD') res.end();
  else res.end(rep.body);
}
