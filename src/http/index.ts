// Public surface of the HTTP platform.
export { ApiError, problemType, toProblemBody, sendProblem, newProblemInstance, PROBLEM_CONTENT_TYPE } from './problem.ts';
export type { ApiErrorInit, InvalidParam, ProblemBody } from './problem.ts';
export { contextOf, requestIdOf, setRoute } from './context.ts';
export type { RequestContext } from './context.ts';
export { API_VERSION, baseHeaders } from './headers.ts';
export { requestId, isSaneRequestId } from './request-id.ts';
export { jsonBody, isJsonMediaType } from './json-body.ts';
export { rejectTrailingSlash } from './trailing-slash.ts';
export { acceptJson } from './negotiate.ts';
export { cors } from './cors.ts';
export { createRateLimiter, rateLimit } from './rate-limit.ts';
export type { RateLimiter } from './rate-limit.ts';
export { errorHandler, notFoundHandler, fromHttpError } from './error-handler.ts';
export { createLogger, requestLogger, loggerOf, maskPath, REDACTED_KEYS, LOG_CENSOR } from './logger.ts';
export type { Logger } from './logger.ts';
export { configureApp, isTrustedPeer } from './app-settings.ts';
export { platformMiddleware, errorMiddleware } from './platform.ts';
export type { PlatformOptions } from './platform.ts';
