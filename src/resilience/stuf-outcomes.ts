// What a StUF call's outcome means for the resilience policy (does it count against the backend?
// may a question be retried?) and for the consumer (which BackendUnavailableError it becomes).
// The one module that knows both the StUF error types and the backend boundary's errors.
import { BackendUnavailableError } from '../backend/errors.ts';
import { StufError, StufFault, StufProtocolError, StufTransportError } from '../stuf/index.ts';
import type { Verdict } from './policy.ts';

/** StUF foutcodes that mean "no such object" when they answer a question (StUF064 "object niet gevonden"). */
export const NOT_FOUND_FOUTCODES: ReadonlySet<string> = new Set(['StUF064']);

/** A question's Fo0x that only says the backend found nothing (some backends answer so instead of an empty La01). */
export function isNotFoundFault(err: unknown): err is StufFault {
  return err instanceof StufFault && NOT_FOUND_FOUTCODES.has(err.foutcode);
}

/**
 * Breaker verdict: 'failure' when the backend did not answer usably (it may be down or broken),
 * 'success' when it did answer (a Fo0x, or an answer too large for us: the backend is alive, and a
 * consumer's query must not be able to open the circuit for everyone), 'neutral' for calls that
 * say nothing about the backend (cancelled by the caller, our own invalid message, our bugs).
 */
export function stufVerdict(err: unknown): Verdict {
  if (err instanceof StufFault) return 'success';
  if (err instanceof StufTransportError) {
    if (err.kind === 'aborted') return 'neutral';
    if (err.kind === 'too_large') return 'success';
    return 'failure';
  }
  if (err instanceof StufProtocolError) {
    if (err.reason === 'invalid_outgoing') return 'neutral';
    // Size/depth limits depend on what was asked, like too_large.
    if (err.reason === 'limit') return 'success';
    return 'failure';
  }
  return 'neutral';
}

/** Whether a failed question may be asked again: only when the backend may not have seen or answered it. */
export function isRetryableQuestionError(err: unknown): boolean {
  if (!(err instanceof StufTransportError)) return false;
  if (err.kind === 'connect' || err.kind === 'network' || err.kind === 'timeout') return true;
  // 502/503/504 from a proxy or load balancer in front of the backend.
  return err.kind === 'http_status' && err.httpStatus !== undefined && err.httpStatus >= 502 && err.httpStatus <= 504;
}

/** A StUF error as the backend boundary reports it: 504 for a timeout, 502 for the rest. Other errors pass unchanged. */
export function stufToBackendError(err: unknown): unknown {
  if (!(err instanceof StufError)) return err;
  const status = err instanceof StufTransportError && err.kind === 'timeout' ? 504 : 502;
  return new BackendUnavailableError(status, err.detail, { cause: err });
}
