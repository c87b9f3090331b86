// Errors of the mapping engine. MappingError: a mapping file is unusable (start-up stops).
// NotRepresentableError: a Klant value the dialect cannot store (the caller answers 400 on `path`).

export class MappingError extends Error {
  override readonly name = 'MappingError';
}

export class NotRepresentableError extends Error {
  override readonly name = 'NotRepresentableError';
  /** Klant JSON path of the value, e.g. `subjectIdentificatie.inpBsn` (OAS invalidParams name). */
  readonly path: string;
  /** Why the backend cannot hold it, safe to show a consumer. */
  readonly reason: string;

  constructor(path: string, reason: string) {
    super(`${path}: ${reason}`);
    this.path = path;
    this.reason = reason;
  }
}
