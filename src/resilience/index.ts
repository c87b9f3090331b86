// Public surface of the resilience layer toward StUF backends.
export { ResilientStufClient, resilienceSettings } from './resilient-stuf-client.ts';
export type { ResilientStufClientOptions } from './resilient-stuf-client.ts';
export { ResiliencePolicy, CallRejectedError } from './policy.ts';
export type { CallKind, CallSpec, RejectionReason, ResilienceObserver, ResilienceOptions, Verdict } from './policy.ts';
export { CircuitBreaker } from './circuit-breaker.ts';
export type { Admission, CircuitBreakerOptions, CircuitPermit, CircuitState } from './circuit-breaker.ts';
export { ConcurrencyLimiter, LimiterRejectedError } from './concurrency-limiter.ts';
export type { ConcurrencyLimiterOptions, LimiterRejection, Release } from './concurrency-limiter.ts';
export { retryDelayMs, MAX_RETRY_DELAY_MS } from './backoff.ts';
export { classifyKennisgevingFault } from './kennisgeving-faults.ts';
export type { KennisgevingFaultClassifier } from './kennisgeving-faults.ts';
export { NOT_FOUND_FOUTCODES, isNotFoundFault, isRetryableQuestionError, stufToBackendError, stufVerdict } from './stuf-outcomes.ts';
