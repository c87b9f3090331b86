// Relays one upstream answer to the client (http-proxy's selfHandleResponse).
//
// - JSON answers (application/json, application/*+json) are read (bounded, decompressed), parsed,
//   and every upstream URL in them is rewritten by walking the values (rewriteUrls). When nothing
//   changes the upstream's exact bytes are sent. Successful GET/HEAD answers then get a strong ETag
//   over the bytes sent and If-None-Match → 304, like the native routes.
// - Other successful answers stream through unchanged (Location still rewritten); the upstream's
//   ETag is kept and If-None-Match is evaluated against it.
// - A successful GET/HEAD JSON answer may instead be handed to `capture` (the route's cache):
//   when it takes it, the route sends the stored representation itself.
// - Error answers: a JSON body (a ZGW Fout/ValidatieFout problem) passes through with its status,
//   its links rewritten; anything else becomes the gateway's problem+json (nonJsonUpstreamError).
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { isJsonMediaType } from '../http/json-body.ts';
import { ifNoneMatchMatches, strongEtag } from '../representation/etag.ts';
import { rewriteUrls } from '../representation/rewrite-urls.ts';
import { nonJsonUpstreamError, UpstreamAnswerError } from './upstream-errors.ts';
import { rewriteLocation, type LinkMap, type UpstreamTarget } from './upstream-links.ts';

/** Like the native representations: the bytes depend on the caller's rights and public base. */
export const UPSTREAM_VARY = 'Authorization, Accept, X-Forwarded-Host, X-Forwarded-Proto, X-Forwarded-Prefix, Forwarded';

export interface AnswerContext {
  /** Route name, for error details. */
  readonly name: string;
  /** The client's method (a HEAD is asked upstream as GET, so its headers equal GET's). */
  readonly method: string;
  readonly ifNoneMatch: string | undefined;
  readonly target: UpstreamTarget;
  readonly toClient: LinkMap;
  readonly maxBodyBytes: number;
  /**
   * A 200 JSON answer to a GET/HEAD, its bytes as they would be sent: true when taken (the caller
   * then answers the client and nothing is written here), false to relay it as usual.
   */
  capture?(body: Buffer, etag: string, headers: IncomingHttpHeaders): boolean;
  /** Headers received, body not yet: a stream may now run without the exchange deadline. */
  onStreaming(): void;
  /** The answer could not be relayed; headers may already be sent. */
  fail(err: unknown): void;
  /** Everything sent. */
  done(): void;
}

// RFC 9110 §7.6.1 hop-by-hop fields, plus the ones the gateway sets itself.
const NOT_COPIED = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'vary',
  'cache-control',
]);

export function relayUpstreamAnswer(proxyRes: IncomingMessage, res: ServerResponse, ctx: AnswerContext): void {
  const status = proxyRes.statusCode ?? 502;
  const json = isJsonMediaType(proxyRes.headers['content-type']) && mayHaveBody(status);
  if (json) {
    readBody(proxyRes, ctx.maxBodyBytes)
      .then((raw) => relayJson(proxyRes, res, ctx, status, raw))
      .catch((err: unknown) => ctx.fail(err)); // also a JSON nested too deeply to rewrite
    return;
  }
  if (status >= 400) {
    proxyRes.resume(); // an HTML error page or nothing: not the client's business
    proxyRes.once('end', () => ctx.fail(nonJsonUpstreamError(ctx.name, status)));
    proxyRes.once('error', () => ctx.fail(nonJsonUpstreamError(ctx.name, status)));
    return;
  }
  relayStream(proxyRes, res, ctx, status);
}

function mayHaveBody(status: number): boolean {
  return status >= 200 && status !== 204 && status !== 304;
}

function relayJson(proxyRes: IncomingMessage, res: ServerResponse, ctx: AnswerContext, status: number, raw: Buffer): void {
  let body = raw;
  let parsed: unknown;
  let isJson = raw.length > 0;
  if (isJson) {
    try {
      parsed = JSON.parse(raw.toString('utf8'));
    } catch {
      isJson = false;
    }
  }
  if (!isJson && status >= 400) {
    ctx.fail(nonJsonUpstreamError(ctx.name, status));
    return;
  }
  if (isJson) {
    const rewritten = rewriteUrls(parsed, ctx.toClient.from, ctx.toClient.to);
    if (rewritten !== parsed) body = Buffer.from(JSON.stringify(rewritten), 'utf8');
  }
  const etag = isRead(ctx.method) && status === 200 ? strongEtag(body) : undefined;
  if (isJson && etag !== undefined && ctx.capture?.(body, etag, proxyRes.headers) === true) return;
  copyHeaders(proxyRes.headers, res, ctx, { decoded: true });
  res.setHeader('Content-Length', body.length);
  if (etag !== undefined) {
    res.setHeader('ETag', etag);
    setReadCaching(res, proxyRes.headers);
    if (ifNoneMatchMatches(ctx.ifNoneMatch, etag)) {
      res.removeHeader('Content-Length');
      res.removeHeader('Content-Type');
      res.writeHead(304);
      res.end(() => ctx.done());
      return;
    }
  } else {
    res.removeHeader('ETag'); // the upstream's tag names its bytes, not these
  }
  res.writeHead(status);
  res.end(ctx.method === 'HEAD' ? undefined : body, () => ctx.done());
}

function relayStream(proxyRes: IncomingMessage, res: ServerResponse, ctx: AnswerContext, status: number): void {
  copyHeaders(proxyRes.headers, res, ctx, { decoded: false });
  if (isRead(ctx.method) && status === 200) {
    setReadCaching(res, proxyRes.headers);
    const etag = proxyRes.headers.etag;
    if (etag !== undefined && ifNoneMatchMatches(ctx.ifNoneMatch, etag)) {
      proxyRes.resume();
      res.removeHeader('Content-Length');
      res.writeHead(304);
      res.end(() => ctx.done());
      return;
    }
  }
  res.writeHead(status);
  if (ctx.method === 'HEAD' || !mayHaveBody(status)) {
    proxyRes.resume();
    res.end(() => ctx.done());
    return;
  }
  ctx.onStreaming();
  proxyRes.on('error', (err) => ctx.fail(err));
  res.on('close', () => {
    if (!res.writableFinished) proxyRes.destroy(); // the client left
  });
  proxyRes.pipe(res);
  res.once('finish', () => ctx.done());
}

function isRead(method: string): boolean {
  return method === 'GET' || method === 'HEAD';
}

function setReadCaching(res: ServerResponse, upstream: IncomingHttpHeaders): void {
  // Authorization is checked per request before any answer: shared caches must not reuse it.
  const noStore = (upstream['cache-control'] ?? '').toLowerCase().includes('no-store');
  res.setHeader('Cache-Control', noStore ? 'no-store' : 'private, no-cache');
}

function copyHeaders(headers: IncomingHttpHeaders, res: ServerResponse, ctx: AnswerContext, opts: { decoded: boolean }): void {
  // The upstream's API-version is the one that applies; ours (the Klanten API's) does not.
  res.removeHeader('API-version');
  const listed = connectionTokens(headers.connection);
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || NOT_COPIED.has(name) || listed.has(name)) continue;
    if (opts.decoded && (name === 'content-length' || name === 'content-encoding')) continue;
    if (name === 'location' || name === 'content-location') {
      const one = Array.isArray(value) ? value[0] : value;
      if (one !== undefined) res.setHeader(name, rewriteLocation(one, ctx.target, ctx.toClient));
      continue;
    }
    res.setHeader(name, value);
  }
  const upstreamVary = typeof headers.vary === 'string' ? headers.vary : '';
  res.setHeader('Vary', upstreamVary === '' ? UPSTREAM_VARY : `${UPSTREAM_VARY}, ${upstreamVary}`);
  if (typeof headers['cache-control'] === 'string') res.setHeader('Cache-Control', headers['cache-control']);
}

function connectionTokens(value: string | undefined): Set<string> {
  if (value === undefined) return new Set();
  return new Set(value.split(',').map((t) => t.trim().toLowerCase()).filter((t) => t !== ''));
}

function decoderFor(encoding: string | undefined): zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress | undefined {
  switch ((encoding ?? '').trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip();
    case 'deflate':
      return zlib.createInflate();
    case 'br':
      return zlib.createBrotliDecompress();
    default:
      return undefined;
  }
}

/** The whole (decoded) body, at most `max` bytes; rejects beyond that or when the answer is cut off. */
async function readBody(proxyRes: IncomingMessage, max: number): Promise<Buffer> {
  const encoding = proxyRes.headers['content-encoding'];
  const decoder = decoderFor(encoding);
  if (decoder === undefined && encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') {
    proxyRes.resume();
    throw new UpstreamAnswerError(`unsupported content-encoding ${JSON.stringify(encoding)}`);
  }
  let source: Readable = proxyRes;
  if (decoder !== undefined) {
    proxyRes.on('error', (err) => decoder.destroy(err));
    source = proxyRes.pipe(decoder);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > max) throw new UpstreamAnswerError(`answer larger than ${max} bytes`);
      chunks.push(chunk);
    }
  } catch (err) {
    proxyRes.destroy();
    if (err instanceof UpstreamAnswerError) throw err;
    throw new UpstreamAnswerError('answer cut off or undecodable', { cause: err });
  }
  return Buffer.concat(chunks, size);
}
