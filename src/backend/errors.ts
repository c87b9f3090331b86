// Errors of the backend boundary, independent of the protocol behind it (klanten/ maps them to
// problem responses without knowing StUF).
import type { KlantFilter } from './klanten-backend.ts';

/** The backend answered, but not usably (missing keys, endless paging, ...). */
export class BackendAnswerError extends Error {
  override readonly name = 'BackendAnswerError';
}

/** The backend failed or was unreachable: 502 (bad/no answer), 503 (refused by us: circuit, overload) or 504 (too slow). */
export class BackendUnavailableError extends Error {
  override readonly name = 'BackendUnavailableError';
  readonly status: 502 | 503 | 504;
  /** Consumer-safe description. */
  readonly detail: string;
  readonly retryAfterSeconds: number | undefined;

  constructor(status: 502 | 503 | 504, detail: string, opts: { cause?: unknown; retryAfterSeconds?: number } = {}) {
    super(detail, { cause: opts.cause });
    this.status = status;
    this.detail = detail;
    this.retryAfterSeconds = opts.retryAfterSeconds;
  }
}

/**
 * The backend confirmed a create, but the new object could not be found back (by bronorganisatie +
 * klantnummer) for its key, hence its id. To the consumer the same 504 as a timeout (the OAS has
 * nothing better), its detail saying where to find the klant; the write path keeps looking in the
 * background with `filter` (klanten/create-reconciler.ts) to complete the audit trail and notify.
 * The message logged with it stays free of the klantnummer; only the consumer's detail names it.
 */
export class CreateNotReadBackError extends BackendUnavailableError {
  /** subjectType, bronorganisatie and klantnummer of the accepted klant. */
  readonly filter: Readonly<Required<Pick<KlantFilter, 'subjectType' | 'bronorganisatie' | 'klantnummer'>>>;

  constructor(filter: CreateNotReadBackError['filter'], detail: string, opts: { cause?: unknown } = {}) {
    super(504, detail, opts);
    this.message = `the backend accepted a ${filter.subjectType} create but it was not read back`;
    this.filter = filter;
  }
}

/**
 * The backend refused a write for a reason the consumer can act on (a StUF Fo with plek=client).
 * `duplicate`: the object's identifying data exists already (the write path re-checks kla-001 to
 * tell a taken klantnummer from another duplicate, and renders the rest as `invalid`).
 */
export type BackendRejection = 'invalid' | 'conflict' | 'not_found' | 'duplicate';

export class BackendRejectedError extends Error {
  override readonly name = 'BackendRejectedError';
  readonly kind: BackendRejection;
  readonly detail: string;

  constructor(kind: BackendRejection, detail: string, opts: { cause?: unknown } = {}) {
    super(detail, { cause: opts.cause });
    this.kind = kind;
    this.detail = detail;
  }
}
