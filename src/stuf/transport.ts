// SOAP 1.1 over HTTP: POST text/xml with a quoted SOAPAction over an undici Pool (keep-alive,
// bounded connections). One deadline covers the whole call (connect, headers, body); the
// response size cap is enforced while the body streams in, and exceeding it destroys the socket
// instead of buffering the rest. Failures are StufTransportError with a kind.
import { Pool } from 'undici';
import { StufTransportError, type StufTransportErrorKind } from './errors.ts';

export interface SoapTransportOptions {
  /** http(s)://host:port/path of the SOAP endpoint. */
  endpoint: string;
  connectTimeoutMs: number;
  /** Largest answer accepted, in bytes. */
  maxResponseBytes: number;
  /** Pool size (concurrent keep-alive connections). */
  connections: number;
  /** Idle keep-alive sockets are closed after this long (undici default 4 s). */
  keepAliveTimeoutMs?: number;
}

export interface SoapPostOptions {
  /** Unquoted SOAPAction, e.g. http://www.egem.nl/StUF/sector/bg/0310/npsLv01. */
  soapAction: string;
  /** Deadline for the complete answer. */
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface SoapHttpResponse {
  status: number;
  /** Content-Type of the answer ('' when absent). */
  contentType: string;
  /** charset parameter of the Content-Type, lower case, when present. */
  charset?: string;
  body: Buffer;
}

const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_HAS_EXPIRED',
]);
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

export class SoapTransport {
  private readonly pool: Pool;
  private readonly path: string;
  private readonly maxResponseBytes: number;

  constructor(opts: SoapTransportOptions) {
    const url = new URL(opts.endpoint);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`endpoint must be http(s), got ${url.protocol}`);
    this.path = `${url.pathname}${url.search}`;
    this.maxResponseBytes = opts.maxResponseBytes;
    this.pool = new Pool(url.origin, {
      connections: opts.connections,
      connect: { timeout: opts.connectTimeoutMs },
      ...(opts.keepAliveTimeoutMs !== undefined ? { keepAliveTimeout: opts.keepAliveTimeoutMs } : {}),
      // The per-call deadline below is the real limit; these only must not fire before it.
      headersTimeout: 0,
      bodyTimeout: 0,
    });
  }

  /** POST a SOAP envelope. Resolves for 2xx and for XML answers of any status (SOAP faults come with 500). */
  async post(xml: string, opts: SoapPostOptions): Promise<SoapHttpResponse> {
    if (opts.signal?.aborted) throw new StufTransportError('aborted', 'call aborted by the caller');
    const controller = new AbortController();
    let failure: StufTransportErrorKind | undefined;
    const timer = setTimeout(() => {
      failure = 'timeout';
      controller.abort();
    }, opts.timeoutMs);
    const onCallerAbort = (): void => {
      failure ??= 'aborted';
      controller.abort();
    };
    opts.signal?.addEventListener('abort', onCallerAbort, { once: true });
    try {
      const res = await this.pool.request({
        path: this.path,
        method: 'POST',
        headers: {
          'content-type': 'text/xml; charset=utf-8',
          soapaction: `"${opts.soapAction}"`,
          accept: 'text/xml, application/soap+xml, application/xml',
        },
        body: xml,
        signal: controller.signal,
      });
      const contentType = String(res.headers['content-type'] ?? '');
      const isXml = /xml/i.test(contentType);
      const ok = res.statusCode >= 200 && res.statusCode < 300;
      if (!ok && !isXml) {
        discard(res.body);
        throw new StufTransportError('http_status', `backend answered HTTP ${res.statusCode}`, { httpStatus: res.statusCode });
      }
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > this.maxResponseBytes) {
        discard(res.body);
        throw this.tooLarge();
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of res.body) {
        size += (chunk as Buffer).length;
        if (size > this.maxResponseBytes) {
          discard(res.body); // closes the connection; the rest is never read
          throw this.tooLarge();
        }
        chunks.push(chunk as Buffer);
      }
      const charset = /charset\s*=\s*"?([^";\s]+)/i.exec(contentType)?.[1]?.toLowerCase();
      return {
        status: res.statusCode,
        contentType,
        ...(charset ? { charset } : {}),
        body: Buffer.concat(chunks, size),
      };
    } catch (e) {
      if (e instanceof StufTransportError) throw e;
      throw classify(e, failure, opts.timeoutMs);
    } finally {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onCallerAbort);
    }
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  private tooLarge(): StufTransportError {
    return new StufTransportError('too_large', `backend answer larger than ${this.maxResponseBytes} bytes`);
  }
}

/** Destroy an unread body (closing its connection); undici then emits an AbortError nobody needs. */
function discard(body: NodeJS.ReadableStream & { destroy(): void }): void {
  body.on('error', () => {});
  body.destroy();
}

function classify(e: unknown, failure: StufTransportErrorKind | undefined, timeoutMs: number): StufTransportError {
  if (failure === 'timeout') return new StufTransportError('timeout', `backend did not answer within ${timeoutMs} ms`, { cause: e });
  if (failure === 'aborted') return new StufTransportError('aborted', 'call aborted by the caller', { cause: e });
  const code = errorCode(e);
  if (code && TIMEOUT_CODES.has(code)) return new StufTransportError('timeout', `backend did not answer in time (${code})`, { cause: e });
  if (code && CONNECT_CODES.has(code)) return new StufTransportError('connect', `cannot connect to backend (${code})`, { cause: e });
  return new StufTransportError('network', `connection to backend failed${code ? ` (${code})` : ''}`, { cause: e });
}

/** err.code, or that of a cause / the first of an AggregateError (happy eyeballs). */
function errorCode(e: unknown, depth = 0): string | undefined {
  if (!e || typeof e !== 'object' || depth > 3) return undefined;
  const err = e as { code?: unknown; cause?: unknown; errors?: unknown[] };
  if (typeof err.code === 'string' && err.code !== 'UND_ERR_SOCKET') return err.code;
  return errorCode(err.cause, depth + 1) ?? errorCode(err.errors?.[0], depth + 1) ?? (typeof err.code === 'string' ? err.code : undefined);
}
