// HTTP routes of the Klanten API resource (klant_list, klant_read and their HEAD variants).
// Authorization runs before anything is read; the representation is built from the request's
// public base, link style and `fields`, all of which are part of its bytes and so of its ETag.
import { Router, type Request, type Response } from 'express';
import { principalOf, requireScope } from '../auth/index.ts';
import { setRoute, requestIdOf } from '../http/context.ts';
import { ApiError } from '../http/problem.ts';
import { KLANT_FIELDS_SCHEMA } from '../representation/klant-field-paths.ts';
import { applyFields, applyFieldsToItems, parseFields } from '../representation/fields.ts';
import { makeLinker, type LinkStyle, type PublicBase, type PublicBaseRequest } from '../representation/links.ts';
import { UUID4_RE } from '../identity/uuid-bits.ts';
import { backendToApiError } from './backend-errors.ts';
import type { KlantenService } from './klanten-service.ts';
import { pageQuery } from './pagination.ts';
import { renderKlant } from './render.ts';
import { sendRepresentation, toRepresentation } from './respond.ts';
import { validateListQuery } from './schemas.ts';

export interface KlantenRoutesOptions {
  service: KlantenService;
  resolveBase: (req: PublicBaseRequest) => PublicBase;
  links: LinkStyle;
  /** Standard-only mode: extensions (fields, ...) are ignored like unknown parameters. */
  strict: boolean;
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
    const page = await callBackend(() =>
      opts.service.list(query.filter, query.page, { requestId: requestIdOf(res), fields }),
    );
    if (!page) throw ApiError.notFound('Ongeldige pagina.');
    const search = new URLSearchParams(req.url.slice(req.url.indexOf('?') + 1 || req.url.length));
    const self = linker.url('klanten');
    const results = page.items.map((k) => renderKlant(linker.url(`klanten/${k.id}`), k.data));
    sendRepresentation(
      req,
      res,
      toRepresentation({
        count: page.count,
        next: page.hasNext ? self + pageQuery(search, query.page + 1) : null,
        previous: page.hasPrevious ? self + pageQuery(search, query.page - 1) : null,
        results: fields ? applyFieldsToItems(results, fields) : results,
      }),
    );
  });

  router.get('/klanten/:uuid', async (req, res) => {
    setRoute(res, '/api/v1/klanten/:uuid');
    requireScope(principalOf(res), 'klanten.lezen');
    const id = readUuid(req.params.uuid);
    const fields = readFields(req, opts.strict);
    const found = await callBackend(() => opts.service.get(id, { requestId: requestIdOf(res), fields }));
    if (!found) throw ApiError.notFound('Niet gevonden.');
    const klant = renderKlant(linkerFor(req, opts).url(`klanten/${id}`), found.stored.data);
    sendRepresentation(req, res, toRepresentation(fields ? applyFields(klant, fields) : klant));
  });

  return router;
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
