// The last two middlewares of the app: a problem+json 404 for unmatched requests, and the error
// handler that turns anything thrown into a problem body. Unknown errors become a bare 500; their
// message and stack go to the log, never to the client.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { contextOf } from './context.ts';
import { ApiError, sendProblem } from './problem.ts';

export function notFoundHandler(): RequestHandler {
  return (_req, _res, next) => next(ApiError.notFound('De opgevraagde resource bestaat niet.'));
}

interface HttpLikeError {
  type?: unknown;
  status?: unknown;
  statusCode?: unknown;
  limit?: unknown;
}

/** Maps errors of body-parser / http-errors (used by Express itself) to API errors; null if unknown. */
export function fromHttpError(err: unknown): ApiError | null {
  if (typeof err !== 'object' || err === null) return null;
  const e = err as HttpLikeError;
  switch (e.type) {
    case 'entity.parse.failed':
      return ApiError.parseError();
    case 'entity.too.large':
      return ApiError.payloadTooLarge(typeof e.limit === 'number' ? e.limit : undefined);
    case 'parameters.too.many':
      return ApiError.payloadTooLarge();
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new ApiError({
        status: 415,
        code: 'unsupported_media_type',
        title: 'Niet-ondersteund mediatype.',
        detail: 'Alleen UTF-8 gecodeerde JSON zonder Content-Encoding wordt geaccepteerd.',
      });
    case 'request.aborted':
    case 'request.size.invalid':
      return ApiError.badRequest('invalid', 'De request body is onvolledig.');
  }
  const status = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : NaN;
  // Client errors raised by Express itself (e.g. an undecodable path parameter); `expose: false` marks
  // an http-error whose message is not meant for clients, but a 4xx status is still the client's fault.
  if (status >= 400 && status < 500) return byStatus(status);
  return null;
}

function byStatus(status: number): ApiError {
  switch (status) {
    case 401:
      return ApiError.unauthorized();
    case 403:
      return ApiError.forbidden();
    case 404:
      return ApiError.notFound();
    case 406:
      return ApiError.notAcceptable();
    case 413:
      return ApiError.payloadTooLarge();
    case 415:
      return ApiError.unsupportedMediaType();
    default:
      return ApiError.badRequest('invalid', 'Ongeldige aanvraag.');
  }
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      // Too late for a problem body; let Express close the connection.
      next(err);
      return;
    }
    const ctx = contextOf(res);
    const log = ctx.log ?? logger.child({ requestId: ctx.requestId });
    let apiError = err instanceof ApiError ? err : fromHttpError(err);
    if (apiError === null) {
      apiError = ApiError.internal();
      const body = sendProblem(res, apiError);
      log.error({ err, method: req.method, route: ctx.route, instance: body.instance }, 'unhandled error');
      return;
    }
    const body = sendProblem(res, apiError);
    if (apiError.status >= 500) {
      log.error({ err: apiError.cause ?? apiError, code: apiError.code, instance: body.instance }, apiError.title);
    }
  };
}
