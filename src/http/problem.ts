// Errors as the Klanten API renders them: RFC 9457 problem details in the VNG Fout /
// ValidatieFout shape (type, code, title, status, detail, instance, invalidParams on 400).
// Throw (or next()) an ApiError anywhere; the error middleware renders it.
import { randomUUID } from 'node:crypto';
import type { Response } from 'express';
import { contextOf } from './context.ts';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** One entry of ValidatieFout.invalidParams; `name` is the camelCase path (`a.b`, `a.0.b`) or `nonFieldErrors`. */
export interface InvalidParam {
  name: string;
  code: string;
  reason: string;
}

export interface ApiErrorInit {
  status: number;
  code: string;
  title: string;
  /** Required non-empty by the OAS; defaults to the title. */
  detail?: string;
  invalidParams?: InvalidParam[];
  /** Extra response headers (Retry-After, Allow, WWW-Authenticate). */
  headers?: Record<string, string>;
  cause?: unknown;
}

/** A stable URI per error code, the problem `type`. */
export function problemType(code: string): string {
  return `urn:klantbrug:fout:${code}`;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  readonly invalidParams: InvalidParam[] | undefined;
  readonly headers: Readonly<Record<string, string>> | undefined;

  constructor(init: ApiErrorInit) {
    const detail = init.detail !== undefined && init.detail !== '' ? init.detail : init.title;
    super(detail, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.title = init.title;
    this.detail = detail;
    this.invalidParams = init.invalidParams;
    this.headers = init.headers;
  }

  /** 400 `invalid` with the fields that failed. */
  static validation(invalidParams: InvalidParam[], detail?: string): ApiError {
    return new ApiError({ status: 400, code: 'invalid', title: 'Ongeldige invoer.', detail, invalidParams });
  }

  /** 400 for a body that is not JSON at all. */
  static parseError(reason = 'De request body is geen geldige JSON.'): ApiError {
    return new ApiError({
      status: 400,
      code: 'parse_error',
      title: 'Ongeldige request body.',
      detail: reason,
      invalidParams: [{ name: 'nonFieldErrors', code: 'parse_error', reason }],
    });
  }

  /** Any other 400 with its own code. */
  static badRequest(code: string, detail: string, invalidParams: InvalidParam[] = []): ApiError {
    return new ApiError({ status: 400, code, title: 'Ongeldige aanvraag.', detail, invalidParams });
  }

  static unauthorized(code = 'not_authenticated', detail?: string): ApiError {
    const missing = code === 'not_authenticated';
    return new ApiError({
      status: 401,
      code,
      title: missing ? 'Authenticatiegegevens zijn niet opgegeven.' : 'Authenticatiegegevens zijn ongeldig.',
      detail,
      headers: {
        'WWW-Authenticate': missing ? 'Bearer realm="klantbrug"' : 'Bearer realm="klantbrug", error="invalid_token"',
      },
    });
  }

  static forbidden(detail?: string): ApiError {
    return new ApiError({
      status: 403,
      code: 'permission_denied',
      title: 'Je hebt geen toestemming om deze actie uit te voeren.',
      detail,
    });
  }

  static notFound(detail?: string): ApiError {
    return new ApiError({ status: 404, code: 'not_found', title: 'Niet gevonden.', detail });
  }

  static methodNotAllowed(method: string, allowed: readonly string[]): ApiError {
    return new ApiError({
      status: 405,
      code: 'method_not_allowed',
      title: 'Methode niet toegestaan.',
      detail: `Methode "${method}" is niet toegestaan.`,
      headers: { Allow: allowed.join(', ') },
    });
  }

  static notAcceptable(detail = 'Kan niet voldoen aan de opgegeven Accept header.'): ApiError {
    return new ApiError({ status: 406, code: 'not_acceptable', title: 'Niet acceptabel.', detail });
  }

  static conflict(detail?: string): ApiError {
    return new ApiError({ status: 409, code: 'conflict', title: 'Conflict.', detail });
  }

  static gone(detail?: string): ApiError {
    return new ApiError({ status: 410, code: 'gone', title: 'Niet meer beschikbaar.', detail });
  }

  static preconditionFailed(detail?: string): ApiError {
    return new ApiError({ status: 412, code: 'precondition_failed', title: 'Voorwaarde niet vervuld.', detail });
  }

  static payloadTooLarge(limitBytes?: number): ApiError {
    const detail = limitBytes === undefined ? undefined : `De request body is groter dan ${limitBytes} bytes.`;
    return new ApiError({ status: 413, code: 'payload_too_large', title: 'Request body te groot.', detail });
  }

  static unsupportedMediaType(mediaType?: string): ApiError {
    const shown = mediaType === undefined || mediaType === '' ? '(geen)' : mediaType.slice(0, 100);
    return new ApiError({
      status: 415,
      code: 'unsupported_media_type',
      title: 'Niet-ondersteund mediatype.',
      detail: `Ongeldig mediatype "${shown}" in aanvraag; gebruik application/json.`,
    });
  }

  static tooManyRequests(retryAfterSeconds: number): ApiError {
    const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
    return new ApiError({
      status: 429,
      code: 'throttled',
      title: 'Te veel verzoeken.',
      detail: `Probeer het over ${seconds} seconden opnieuw.`,
      headers: { 'Retry-After': String(seconds) },
    });
  }

  static internal(detail = 'Er is een interne fout opgetreden.'): ApiError {
    return new ApiError({ status: 500, code: 'error', title: 'Er is een serverfout opgetreden.', detail });
  }

  static badGateway(detail?: string, cause?: unknown): ApiError {
    return new ApiError({ status: 502, code: 'bad_gateway', title: 'Fout van het achterliggende systeem.', detail, cause });
  }

  static serviceUnavailable(retryAfterSeconds?: number, detail?: string): ApiError {
    const headers =
      retryAfterSeconds === undefined ? undefined : { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) };
    return new ApiError({
      status: 503,
      code: 'service_unavailable',
      title: 'Dienst tijdelijk niet beschikbaar.',
      detail,
      headers,
    });
  }

  static gatewayTimeout(detail?: string, cause?: unknown): ApiError {
    return new ApiError({
      status: 504,
      code: 'gateway_timeout',
      title: 'Het achterliggende systeem antwoordde niet op tijd.',
      detail,
      cause,
    });
  }
}

/** The problem body; keys in the order of the OAS Fout schema. */
export interface ProblemBody {
  type: string;
  code: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  invalidParams?: InvalidParam[];
}

export function newProblemInstance(): string {
  return `urn:uuid:${randomUUID()}`;
}

export function toProblemBody(err: ApiError, instance: string = newProblemInstance()): ProblemBody {
  const body: ProblemBody = {
    type: problemType(err.code),
    code: err.code,
    title: err.title,
    status: err.status,
    detail: err.detail,
    instance,
  };
  // ValidatieFout (every 400) requires invalidParams, possibly empty.
  if (err.invalidParams !== undefined || err.status === 400) body.invalidParams = err.invalidParams ?? [];
  return body;
}

/** Sends `err` as problem+json; returns the problem body (for logs and tests). */
export function sendProblem(res: Response, err: ApiError): ProblemBody {
  const body = toProblemBody(err);
  res.status(err.status);
  if (err.headers) for (const [name, value] of Object.entries(err.headers)) res.setHeader(name, value);
  res.setHeader('Content-Type', PROBLEM_CONTENT_TYPE);
  res.setHeader('Cache-Control', 'no-store');
  res.removeHeader('ETag');
  res.removeHeader('Last-Modified');
  res.end(JSON.stringify(body));
  contextOf(res).problem = { code: body.code, instance: body.instance };
  return body;
}
