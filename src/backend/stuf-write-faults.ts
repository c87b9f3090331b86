// What a StUF fault answering a kennisgeving (Lk01/Lk02) means for the consumer of a write. The one
// place that decides it: StufKlantenBackend applies it to faults from a plain StufClient, and the
// resilience layer's ResilientStufClient takes it as its `classifyKennisgevingFault`.
//
// StUF 03.01 leaves foutcodes to implementations, so the decision rests on plek plus a few codes
// (and omschrijvingen) seen in StUF-BG systems and used by the simulator:
//   not found  StUF064 / "niet gevonden"        → BackendRejectedError not_found (404)
//   conflict   StUF066 / "gewijzigd"            → BackendRejectedError conflict (409): a stale W/V
//   duplicate  StUF065 / "bestaat al"           → BackendRejectedError duplicate (400 after kla-001 re-check)
//   our message invalid  StUF055              → 502: the gateway built it, the consumer cannot fix it
//   any other plek=client fault                 → BackendRejectedError invalid (400, the backend's omschrijving)
//   plek=server, no plek, SOAP faults           → BackendUnavailableError 502
import { BackendRejectedError, BackendUnavailableError } from './errors.ts';
import { StufError, StufFault, StufTransportError, safeText } from '../stuf/index.ts';

export interface WriteFaultCodes {
  notFound: readonly string[];
  conflict: readonly string[];
  duplicate: readonly string[];
  /** Faults that blame the message itself (schema errors): never the consumer's doing. */
  invalidMessage: readonly string[];
}

export const DEFAULT_WRITE_FAULT_CODES: WriteFaultCodes = {
  notFound: ['StUF064'],
  conflict: ['StUF066'],
  duplicate: ['StUF065'],
  invalidMessage: ['StUF055'],
};

const CONFLICT_TEXT = /gewijzigd/i;
const NOT_FOUND_TEXT = /niet gevonden|not found/i;
const DUPLICATE_TEXT = /bestaat al|already exists/i;

/** A kennisgeving's StufFault → the backend boundary's error (BackendRejectedError or BackendUnavailableError). */
export function classifyWriteFault(fault: StufFault, codes: WriteFaultCodes = DEFAULT_WRITE_FAULT_CODES): Error {
  const code = fault.foutcode.trim();
  const text = fault.omschrijving;
  const detail = safeText(fault.details ? `${text || code}: ${fault.details}` : text || code || fault.detail);
  if (fault.source !== 'stuf' || codes.invalidMessage.includes(code)) {
    return new BackendUnavailableError(502, fault.detail, { cause: fault });
  }
  if (codes.notFound.includes(code) || NOT_FOUND_TEXT.test(text)) return new BackendRejectedError('not_found', detail, { cause: fault });
  if (codes.conflict.includes(code) || (fault.plek !== 'server' && CONFLICT_TEXT.test(text))) {
    return new BackendRejectedError('conflict', detail, { cause: fault });
  }
  if (codes.duplicate.includes(code) || (fault.plek !== 'server' && DUPLICATE_TEXT.test(text))) {
    return new BackendRejectedError('duplicate', detail, { cause: fault });
  }
  if (fault.plek === 'client') return new BackendRejectedError('invalid', detail, { cause: fault });
  return new BackendUnavailableError(502, fault.detail, { cause: fault });
}

/**
 * Any error of a write's StUF calls → the backend boundary's errors: kennisgeving faults by
 * classifyWriteFault, a question's fault and protocol errors 502, a timeout 504. Errors already
 * translated (by the resilience layer) and non-StUF errors pass unchanged.
 */
export function toBackendWriteError(err: unknown, call: 'question' | 'kennisgeving'): unknown {
  if (!(err instanceof StufError)) return err;
  if (err instanceof StufFault && call === 'kennisgeving') return classifyWriteFault(err);
  const status = err instanceof StufTransportError && err.kind === 'timeout' ? 504 : 502;
  return new BackendUnavailableError(status, err.detail, { cause: err });
}
