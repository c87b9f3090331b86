// Cache keys: which stored representation answers a request. A key is a resource (what a write
// invalidates) plus a variant (every request input that changes the bytes). Two requests with the
// same key get the same bytes, so the ETag (a hash of those bytes) follows from the key.
//
// Inputs and why they are (or are not) in the variant:
// - linker root (`https://host/prefix/api/v1` or `/prefix/api/v1`): the public base from
//   X-Forwarded-Proto/Host/Prefix and the link style; every `url` in the body starts with it.
// - klant detail: the canonical `fields` key (parseFields(...).key): selections that render the
//   same bytes share one entry.
// - list pages: the raw query string, exactly as received. The filter, `page` and `fields` come
//   from it, and so do the `next`/`previous` links, which repeat the client's other parameters in
//   their order; the raw string is the one input that fixes all of that.
// - media type: only application/json is produced (any Accept gets it or is refused before the
//   cache); it is a key component so a second representation would get its own entries.
// - rights: the bytes do not depend on the client's rights beyond the scope check, which runs
//   before the cache is read; the rightsKey is therefore not in the variant (a representation
//   filtered per client would have to add it).
// Deployment-wide inputs (page size, mapping, API version) go in the cache's namespace instead.

export const MEDIA_JSON = 'json';

/** The resource every list page belongs to: one write invalidates all of them. */
export const LISTS_RESOURCE = 'lists';

export interface CacheKey {
  /** What a write invalidates: `klant:<uuid>` or `lists`. Safe characters only (Redis hash tag). */
  readonly resource: string;
  /** Everything else that changes the bytes. May hold any characters (hashed for Redis). */
  readonly variant: string;
  /** resource + variant: the in-process key. */
  readonly local: string;
}

export function klantResource(id: string): string {
  return 'klant:' + id;
}

/** Key of GET /klanten/{id}; `id` lower-case, `fieldsKey` from parseFields(...).key ('' = all). */
export function klantCacheKey(id: string, linkerRoot: string, fieldsKey: string): CacheKey {
  const resource = 'klant:' + id;
  const variant = MEDIA_JSON + '\n' + linkerRoot + '\n' + fieldsKey;
  return { resource, variant, local: resource + '\n' + variant };
}

/** klantCacheKey(...).local without the rest (the fast path needs only this). */
export function klantLocalKey(id: string, linkerRoot: string, fieldsKey: string): string {
  return 'klant:' + id + '\n' + MEDIA_JSON + '\n' + linkerRoot + '\n' + fieldsKey;
}

/** Key of GET /klanten?<rawQuery>; `rawQuery` is everything after the first '?' ('' when none). */
export function listCacheKey(linkerRoot: string, rawQuery: string): CacheKey {
  const variant = MEDIA_JSON + '\n' + linkerRoot + '\n' + rawQuery;
  return { resource: LISTS_RESOURCE, variant, local: LISTS_RESOURCE + '\n' + variant };
}

/** listCacheKey(...).local without the rest. */
export function listLocalKey(linkerRoot: string, rawQuery: string): string {
  return LISTS_RESOURCE + '\n' + MEDIA_JSON + '\n' + linkerRoot + '\n' + rawQuery;
}

/** The query string of a request target: after the first '?', '' when there is none. */
export function rawQueryOf(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? '' : url.slice(q + 1);
}
