// Backend failures → VNG problem responses.
import { BackendAnswerError, BackendRejectedError, BackendUnavailableError } from '../backend/errors.ts';
import { ApiError } from '../http/problem.ts';

export function backendToApiError(err: unknown): unknown {
  if (err instanceof BackendUnavailableError) {
    if (err.status === 504) return ApiError.gatewayTimeout(err.detail, err);
    if (err.status === 503) return ApiError.serviceUnavailable(err.retryAfterSeconds, err.detail);
    return ApiError.badGateway(err.detail, err);
  }
  if (err instanceof BackendAnswerError) return ApiError.badGateway(err.message, err);
  if (err instanceof BackendRejectedError) {
    if (err.kind === 'conflict') return ApiError.conflict(err.detail);
    if (err.kind === 'not_found') return ApiError.notFound(err.detail);
    return ApiError.validation([{ name: 'nonFieldErrors', code: 'invalid', reason: err.detail }], err.detail);
  }
  return err;
}
