// Failures of a proxied exchange as the gateway's problem+json errors.
import { ApiError } from '../http/problem.ts';

/** The upstream did not answer (or stalled) within the route's timeout. */
export class UpstreamTimeoutError extends Error {
  readonly timeoutMs: number;
  constructor(name: string, timeoutMs: number) {
    super(`upstream ${name} did not answer within ${timeoutMs} ms`);
    this.name = 'UpstreamTimeoutError';
    this.timeoutMs = timeoutMs;
  }
}

/** The upstream's answer cannot be passed on (too large, corrupt compression, cut off). */
export class UpstreamAnswerError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UpstreamAnswerError';
  }
}

/** Transport errors (refused, reset, DNS, TLS, timeout) → 502 / 504. */
export function proxyErrorToApiError(name: string, err: unknown): ApiError {
  if (err instanceof UpstreamTimeoutError) {
    return ApiError.gatewayTimeout(`${name} antwoordde niet binnen ${err.timeoutMs} ms.`, err);
  }
  if (err instanceof UpstreamAnswerError) return ApiError.badGateway(`Onbruikbaar antwoord van ${name}.`, err);
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'ETIMEDOUT') return ApiError.gatewayTimeout(`${name} antwoordde niet op tijd.`, err);
  return ApiError.badGateway(`${name} is niet bereikbaar.`, err);
}

/**
 * An upstream error answer without a JSON body (an HTML error page, plain text, nothing): 5xx is
 * the gateway's 502; a 4xx keeps its status (a 404 stays "not found", a 401/403 tells the client
 * the upstream refused its token) with a problem body of the gateway's own.
 */
export function nonJsonUpstreamError(name: string, status: number): ApiError {
  if (status >= 500) return ApiError.badGateway(`${name} antwoordde met status ${status}.`);
  const detail = `${name} antwoordde met status ${status}.`;
  switch (status) {
    case 401:
      return new ApiError({ status, code: 'not_authenticated', title: 'Authenticatiegegevens zijn ongeldig.', detail });
    case 403:
      return ApiError.forbidden(detail);
    case 404:
      return ApiError.notFound(detail);
    case 405:
      return new ApiError({ status, code: 'method_not_allowed', title: 'Methode niet toegestaan.', detail });
    case 406:
      return ApiError.notAcceptable(detail);
    case 409:
      return ApiError.conflict(detail);
    case 410:
      return ApiError.gone(detail);
    case 412:
      return ApiError.preconditionFailed(detail);
    case 413:
      return new ApiError({ status, code: 'payload_too_large', title: 'Request body te groot.', detail });
    case 415:
      return new ApiError({ status, code: 'unsupported_media_type', title: 'Niet-ondersteund mediatype.', detail });
    case 429:
      return new ApiError({ status, code: 'throttled', title: 'Te veel verzoeken.', detail });
    default:
      return new ApiError({ status, code: status === 400 ? 'invalid' : 'error', title: 'Ongeldige aanvraag.', detail });
  }
}
