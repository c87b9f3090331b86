// Conditional writes (an extension of the standard): `If-Match` on PUT/PATCH/DELETE, evaluated as
// RFC 9110 §13.1.1 says — strong comparison against the ETag of the CURRENT representation, so
// two clients cannot silently overwrite each other's changes.
import { ApiError } from '../http/problem.ts';
import { ifMatchMatches } from '../representation/etag.ts';

/**
 * Throws 412 `precondition_failed` when the request carries If-Match and it does not match.
 * - `ifMatch`: the raw header (req.headers['if-match']); absent → the write proceeds.
 * - `currentEtag`: the strong ETag of the klant as GET /klanten/{id} (no `fields`) would render it
 *   NOW for this request's public base: build it from the klant just read from the backend
 *   (renderKlant + toRepresentation), not from the cache, which may lag by up to the TTL.
 *   Undefined when the klant does not exist: then only a missing header passes (`*` fails too).
 * A weak tag (`W/"..."`) never matches. Standard-only mode (strict) should not call this.
 */
export function checkIfMatch(ifMatch: string | string[] | undefined, currentEtag: string | undefined): void {
  if (ifMatch === undefined) return;
  const header = Array.isArray(ifMatch) ? ifMatch.join(', ') : ifMatch;
  if (ifMatchMatches(header, currentEtag)) return;
  throw ApiError.preconditionFailed(
    currentEtag === undefined
      ? 'De resource bestaat niet (If-Match).'
      : 'De resource is gewijzigd sinds de opgegeven ETag (If-Match); haal haar opnieuw op.',
  );
}
