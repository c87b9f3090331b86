// Requests Node's HTTP parser rejects before any handler runs (malformed request line or header,
// headers over maxHeaderBytes, request timeout) still get a VNG problem body with API-version,
// not Node's bare "400 Bad Request".
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { API_VERSION } from './headers.ts';
import { ApiError, PROBLEM_CONTENT_TYPE, toProblemBody } from './problem.ts';

const REASONS: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' };

function problemFor(code: string | undefined): ApiError {
  if (code === 'HPE_HEADER_OVERFLOW') {
    return new ApiError({ status: 431, code: 'request_header_fields_too_large', title: 'Headers te groot.', detail: 'De request headers zijn groter dan toegestaan.' });
  }
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return new ApiError({ status: 408, code: 'request_timeout', title: 'Verzoek te traag.', detail: 'Het verzoek kwam niet op tijd binnen.' });
  }
  return ApiError.badRequest('parse_error', 'Het HTTP-verzoek kon niet worden gelezen.');
}

export function answerClientErrors(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    // A connection reset by the client, or one we already answered on: nothing to say.
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const problem = problemFor(err.code);
    const body = JSON.stringify(toProblemBody(problem));
    socket.end(
      `HTTP/1.1 ${problem.status} ${REASONS[problem.status] ?? 'Bad Request'}\r\n` +
        `Content-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
        `API-version: ${API_VERSION}\r\n` +
        'X-Content-Type-Options: nosniff\r\n' +
        'Connection: close\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  });
}
