// Turns what happens toward the StUF backend into metrics and log lines: one debug line per StUF
// call (message, outcome, duration, referentienummer, the consumer's request id — never message
// content), circuit changes at warn/info, refusals and retries counted.
import type { Logger } from 'pino';
import type { ResilienceObserver } from '../resilience/policy.ts';
import { StufFault, StufProtocolError, StufTransportError, type StufCallEvent } from '../stuf/index.ts';
import type { GatewayMetrics } from './metrics.ts';

/** The StufClient onCall hook. */
export function observeStufCalls(metrics: GatewayMetrics, logger: Logger): (e: StufCallEvent) => void {
  return (e) => {
    metrics.observeBackendCall({ kind: e.kind, messageName: e.messageName, outcome: e.outcome, durationMs: e.durationMs });
    if (!logger.isLevelEnabled('debug')) return;
    logger.debug(
      {
        requestId: e.correlationId,
        stuf: {
          kind: e.kind,
          message: e.messageName,
          outcome: e.outcome,
          durationMs: Math.round(e.durationMs * 100) / 100,
          referentienummer: e.referentienummer,
          httpStatus: e.httpStatus,
          objects: e.objects,
          error: e.error === undefined ? undefined : errorSummary(e.error),
        },
      },
      'backend call',
    );
  };
}

/** Metrics and logs for the resilience policy's decisions. */
export function observeResilience(metrics: GatewayMetrics, logger: Logger): ResilienceObserver {
  return {
    circuitChanged(to, from) {
      if (to === 'open') logger.warn({ circuit: to, from }, 'backend circuit opened: calls fail fast');
      else logger.info({ circuit: to, from }, `backend circuit ${to === 'closed' ? 'closed' : 'half-open: probing'}`);
    },
    rejected(reason, call) {
      metrics.backendCallRejected(reason);
      logger.debug({ stuf: { kind: call.kind, message: call.messageName }, reason }, 'backend call refused');
    },
    retrying(call, retry, delayMs, err) {
      metrics.backendRetry(call.messageName);
      logger.debug(
        { stuf: { message: call.messageName, retry, delayMs: Math.round(delayMs), error: errorSummary(err) } },
        'retrying backend question',
      );
    },
  };
}

/**
 * What went wrong, without the backend's free text (a fault's omschrijving/details may quote
 * the data it is about).
 */
export function errorSummary(err: unknown): Record<string, string | number | undefined> {
  if (err instanceof StufFault) {
    return { type: err.name, berichtcode: err.berichtcode, foutcode: err.foutcode, plek: err.plek, source: err.source };
  }
  if (err instanceof StufTransportError) return { type: err.name, kind: err.kind, httpStatus: err.httpStatus };
  if (err instanceof StufProtocolError) return { type: err.name, reason: err.reason };
  return { type: err instanceof Error ? err.name : typeof err };
}
