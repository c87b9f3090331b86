// One hop of the kla-002 subject check: a GET to addresses that were resolved and vetted before,
// answered as soon as the status line and headers are in (the body is never read).
//
// The connection goes to the vetted addresses only: Node's socket connect asks our `lookup`, which
// answers with those addresses instead of asking DNS again, so a name that resolves to a public
// address for the check and to 127.0.0.1 a moment later (DNS rebinding) cannot redirect the
// request. TLS still verifies the certificate against the host name (SNI = the URL's host).
import http from 'node:http';
import https from 'node:https';
import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';

export interface HopAnswer {
  status: number;
  /** The Location header of a redirect, if any. */
  location: string | undefined;
}

const MAX_HEADER_BYTES = 16 * 1024;

/** A `lookup` that always answers `addresses`, whatever name it is asked for. */
export function pinnedLookup(addresses: readonly LookupAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const first = addresses[0];
    if (!first) {
      callback(Object.assign(new Error('no vetted address'), { code: 'ENOTFOUND' }), '', 0);
      return;
    }
    if (options.all) {
      (callback as unknown as (err: null, all: LookupAddress[]) => void)(null, [...addresses]);
    } else {
      callback(null, first.address, first.family);
    }
  };
}

/** GETs `url` over a fresh connection to `addresses`; rejects on network errors and on abort. */
export function fetchHop(url: URL, host: string, addresses: readonly LookupAddress[], signal: AbortSignal): Promise<HopAnswer> {
  return new Promise<HopAnswer>((resolve, reject) => {
    const transport = url.protocol === 'https:' ? https : http;
    const req = transport.request(
      {
        method: 'GET',
        protocol: url.protocol,
        host,
        port: url.port === '' ? undefined : Number(url.port),
        path: url.pathname + url.search,
        headers: {
          accept: 'application/json, */*;q=0.5',
          'user-agent': 'klantbrug-subject-check',
          host: url.host,
        },
        lookup: pinnedLookup(addresses),
        agent: false, // no pooled socket: every hop connects to its own vetted address
        maxHeaderSize: MAX_HEADER_BYTES,
        signal,
      },
      (res) => {
        const location = res.headers.location;
        resolve({ status: res.statusCode ?? 0, location });
        // Only the status matters: drop the body instead of downloading it.
        res.destroy();
        req.destroy();
      },
    );
    req.once('error', reject);
    req.end();
  });
}
