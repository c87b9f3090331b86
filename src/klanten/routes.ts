// HTTP routes of the Klanten API resource (klant_list, klant_read and their HEAD variants).
// Authorization runs before anything is read; the representation is built from the request's
// public base, link style and `fields`, all of which are part of its bytes and so of its ETag.
import { Router, type Request, type Response } from 'express';
import { principalOf, requireScope } from '../auth/index.ts';
import { setRoute, requestIdOf } from '../http/context.ts';
import { ApiError } from '../http/problem.ts';
import { KLANT_FIELDS_SCHEMA } from '../representation/klant-field-paths.ts';
import { applyFields, applyFieldsToItems, canonicalFieldsKey, parseFields } from '../representation/fields.ts';
import { makeLinker, type LinkStyle, type PublicBase, type PublicBaseRequest } from '../representation/links.ts';
import { UUID4_RE } from '../identity/uuid-bits.ts';
import { backendToApiError } from './backend-errors.ts';
import type { KlantenService } from './klanten-service.ts';
import { pageQuery } from './pagination.ts';
import { renderKlant } from './render.ts';
import { sendRepresentation, toRepresentation, type Representation } from './respond.ts';
import { validateListQuery } from './schemas.ts';
import { klantCacheKey, listCacheKey, rawQueryOf, type CacheKey, type RepresentationCache } from '../cache/index.ts';

export interface KlantenRoutesOptions {
  service: KlantenService;
  resolveBase: (req: PublicBaseRequest) => PublicBase;
  links: LinkStyle;
  /** Standard-only mode: extensions (fields, ...) are ignored like unknown parameters. */
  strict: boolean;
  /** Representation cache (keys: cache/keys.ts); absent = every read asks the backend. */
  cache?: RepresentationCache;
}

export function klantenRoutes(opts: KlantenRoutesOptions): Router {
  const router = Router();

  router.get('/klanten', async (req, res) => {
    setRoute(res, '/api/v1/klanten');
    requireScope(principalOf(res), 'klanten.lezen');
    const query = validateListQuery(req.query as Record<string, unknown>);
    if (!query.ok) throw ApiError.validation(query.invalidParams);
    const fields = readFields(req, opts.strict);
    const linker = linkerFor(req, opts);
    const build = async () => {
      const page = await callBackend(() =>
        opts.service.list(query.filter, query.page, { requestId: requestIdOf(res), fields: backendFieldsFor(fields) }),
      );
      if (!page) throw ApiError.notFound('Ongeldige pagina.');
      const search = new URLSearchParams(req.url.slice(req.url.indexOf('?') + 1 || req.url.length));
      const self = linker.url('klanten');
      const results = page.items.map((k) => renderKlant(linker.url(`klanten/${k.id}`), k.data));
      return toRepresentation({
        count: page.count,
        next: page.hasNext ? self + pageQuery(search, query.page + 1) : null,
        previous: page.hasPrevious ? self + pageQuery(search, query.page - 1) : null,
        results: fields ? applyFieldsToItems(results, fields) : results,
      });
    };
    await send(req, res, opts.cache, listCacheKey(linker.root, rawQueryOf(req.url)), build);
  });

  router.get('/klanten/:uuid', async (req, res) => {
    setRoute(res, '/api/v1/klanten/:uuid');
    requireScope(principalOf(res), 'klanten.lezen');
    const id = readUuid(req.params.uuid);
    const fields = readFields(req, opts.strict);
    const linker = linkerFor(req, opts);
    const build = async () => {
      const found = await callBackend(() => opts.service.get(id, { requestId: requestIdOf(res), fields: backendFieldsFor(fields) }));
      if (!found) throw ApiError.notFound('Niet gevonden.');
      const klant = renderKlant(linker.url(`klanten/${id}`), found.stored.data);
      return toRepresentation(fields ? applyFields(klant, fields) : klant);
    };
    await send(req, res, opts.cache, klantCacheKey(id, linker.root, canonicalFieldsKey(fields)), build);
  });

  return router;
}

/** Through the cache when there is one (authorization has run: the cache is read only now). */
async function send(
  req: Request,
  res: Response,
  cache: RepresentationCache | undefined,
  key: CacheKey,
  build: () => Promise<Representation>,
): Promise<void> {
  if (cache === undefined) sendRepresentation(req, res, await build());
  else cache.respond(req, res, await cache.get(key, build));
}

function readUuid(value: string | undefined): string {
  const id = (value ?? '').toLowerCase();
  if (!UUID4_RE.test(id)) {
    throw ApiError.validation([{ name: 'uuid', code: 'invalid', reason: 'Geen geldige UUID4.' }]);
  }
  return id;
}

function readFields(req: Request, strict: boolean): string[] | undefined {
  if (strict) return undefined;
  const raw = req.query.fields;
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string') {
    throw ApiError.validation([{ name: 'fields', code: 'fields', reason: 'Geef fields één keer op.' }]);
  }
  const parsed = parseFields(raw, KLANT_FIELDS_SCHEMA);
  if (!parsed.ok) throw ApiError.validation([...parsed.invalidParams]);
  return parsed.paths ? [...parsed.paths] : undefined;
}

/**
 * What the backend must read for `fields`: whole top-level groups. A group renders as null only
 * when every leaf in it is empty, so reading just `subjectIdentificatie.inpBsn` would turn
 * `{ inpBsn: "" }` (other leaves filled) into `null`; the projection then picks the asked paths.
 */
function backendFieldsFor(paths: string[] | undefined): string[] | undefined {
  return paths === undefined ? undefined : [...new Set(paths.map((p) => p.split('.', 1)[0] as string))];
}

function linkerFor(req: Request, opts: KlantenRoutesOptions) {
  const base = opts.resolveBase({
    protocol: req.protocol,
    host: req.headers.host ?? '',
    remoteAddress: req.socket.remoteAddress ?? '',
    headers: req.headers,
  });
  return makeLinker(base, opts.links);
}

async function callBackend<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw backendToApiError(err);
  }
}

export type { Response };
