// Graceful close of an HTTP server: stop accepting connections, let the requests in flight finish
// (their responses say `Connection: close`, so keep-alive clients do not send more), close each
// connection as soon as it is idle, and after the deadline cut whatever is left.
// Attach it when the server is created: it must see requests that started before the close. Its
// listener runs before any other 'request' handler (a handler may answer synchronously).
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

export interface GracefulCloser {
  /** Requests whose response has not finished. */
  readonly inFlight: number;
  /** Resolves true when every connection ended by itself, false when some were cut at the deadline. */
  close(timeoutMs: number): Promise<boolean>;
}

export function gracefulCloser(server: Server): GracefulCloser {
  const active = new Set<ServerResponse>();
  let closing: Promise<boolean> | undefined;

  const closeIdleSoon = (): void => {
    // After the response's bytes are handed to the socket, the connection counts as idle.
    setImmediate(() => server.closeIdleConnections());
  };

  server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => {
    active.add(res);
    if (closing && !res.headersSent) res.setHeader('Connection', 'close');
    const done = (): void => {
      active.delete(res);
      if (closing) closeIdleSoon();
    };
    res.once('finish', done);
    res.once('close', done);
  });

  return {
    get inFlight() {
      return active.size;
    },
    close(timeoutMs) {
      closing ??= new Promise<boolean>((resolve) => {
        let settled = false;
        const finish = (drained: boolean): void => {
          if (settled) return;
          settled = true;
          clearTimeout(deadline);
          resolve(drained);
        };
        const deadline = setTimeout(() => {
          server.closeAllConnections();
          finish(false);
        }, timeoutMs);
        for (const res of active) if (!res.headersSent) res.setHeader('Connection', 'close');
        // 'close' fires once the listener is closed and every connection has ended.
        server.close(() => finish(true));
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}
