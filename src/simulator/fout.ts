// The StUF error the simulator answers with (as Fo02 or Fo03, chosen by the message kind).
//
// Codes: StUF 03.01 leaves the catalogue to implementations; these are the codes this simulator
// uses (StUF055 for schema errors and StUF064 for "object niet gevonden" as public real-world
// StUF systems use them; the others are this simulator's own choice, fixed here in one place).
export const FOUTCODE = {
  /** Message not well-formed, not XSD-valid, DOCTYPE, wrong namespace, too big. */
  invalid: 'StUF055',
  /** Valid message this backend does not answer (other entity, vanaf/totEnMet, relations). */
  unsupported: 'StUF046',
  /** Processing error (also the injected 'fo02' fault). */
  processing: 'StUF058',
  /** W/V on a key this backend does not know. */
  notFound: 'StUF064',
  /** T on an object whose identifying data already exists. */
  duplicate: 'StUF065',
  /** W/V whose old object no longer matches the stored state ("object is gewijzigd"). */
  changed: 'StUF066',
} as const;

export type Foutplek = 'client' | 'server';

export class StufFout extends Error {
  readonly code: string;
  readonly plek: Foutplek;
  readonly details: string | undefined;

  constructor(code: string, omschrijving: string, opts: { plek?: Foutplek; details?: string } = {}) {
    super(omschrijving);
    this.code = code;
    this.plek = opts.plek ?? 'client';
    this.details = opts.details;
  }
}
