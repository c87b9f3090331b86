// How a StUF Fo0x answering a kennisgeving (Lk01/Lk02) reaches the klanten layer. Unlike a
// question's fault, it may be the consumer's business (a duplicate, a changed or unknown object):
// the write path decides which faults become a BackendRejectedError (4xx); the rest is a 502.
import { BackendUnavailableError } from '../backend/errors.ts';
import type { StufFault } from '../stuf/index.ts';

export type KennisgevingFaultClassifier = (fault: StufFault) => Error;

/** Default: every kennisgeving fault is the backend's failure (502). */
export const classifyKennisgevingFault: KennisgevingFaultClassifier = (fault) =>
  new BackendUnavailableError(502, fault.detail, { cause: fault });
