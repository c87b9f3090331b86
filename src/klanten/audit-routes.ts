// HTTP routes of a klant's audit trail: audittrail_list and audittrail_read (GET and HEAD),
// scope audittrails.lezen. Entries are stored with URLs relative to the API root and rendered for
// this request's public base and link style, so the bytes (and the ETag) follow the base, as the
// standard asks ("via NLX → different ETag").
//
// audittrail_list: the entries, oldest first. When there are none, the klant's existence decides:
// `[]` for an existing klant (the OAS describes a list; the reference answers 404 here), 404 for
// an unknown one. A deleted klant keeps its trail (its entries still list, including destroy).
import { Router, type Request } from 'express';
import { principalOf, requireScope } from '../auth/index.ts';
import { requestIdOf, setRoute } from '../http/context.ts';
import { ApiError } from '../http/problem.ts';
import { UUID4_RE } from '../identity/uuid-bits.ts';
import { makeLinker, type LinkStyle, type PublicBase, type PublicBaseRequest } from '../representation/links.ts';
import { renderAuditEntry, type StoredAuditEntry } from '../audit/audit-entry.ts';
import { backendToApiError } from './backend-errors.ts';
import type { KlantenService } from './klanten-service.ts';
import { sendRepresentation, toRepresentation } from './respond.ts';

export interface AuditTrailReader {
  list(klantId: string): Promise<StoredAuditEntry[]>;
  get(klantId: string, uuid: string): Promise<StoredAuditEntry | undefined>;
}

export interface AuditRoutesOptions {
  audit: AuditTrailReader;
  /** To tell "no entries" ([]) from "no such klant" (404). */
  klanten: Pick<KlantenService, 'get'>;
  resolveBase: (req: PublicBaseRequest) => PublicBase;
  links: LinkStyle;
}

export function auditRoutes(opts: AuditRoutesOptions): Router {
  const router = Router();

  router.get('/klanten/:klant_uuid/audittrail', async (req, res) => {
    setRoute(res, '/api/v1/klanten/:klant_uuid/audittrail');
    requireScope(principalOf(res), 'audittrails.lezen');
    const klantId = readUuid(req.params.klant_uuid);
    const entries = await readStore(() => opts.audit.list(klantId));
    if (entries.length === 0 && !(await klantExists(opts, klantId, requestIdOf(res)))) {
      throw ApiError.notFound('Niet gevonden.');
    }
    const link = linkFor(req, opts);
    sendRepresentation(req, res, toRepresentation(entries.map((e) => renderAuditEntry(e, link))));
  });

  router.get('/klanten/:klant_uuid/audittrail/:uuid', async (req, res) => {
    setRoute(res, '/api/v1/klanten/:klant_uuid/audittrail/:uuid');
    requireScope(principalOf(res), 'audittrails.lezen');
    const klantId = readUuid(req.params.klant_uuid);
    const uuid = readUuid(req.params.uuid);
    const entry = await readStore(() => opts.audit.get(klantId, uuid));
    if (!entry) throw ApiError.notFound('Niet gevonden.');
    sendRepresentation(req, res, toRepresentation(renderAuditEntry(entry, linkFor(req, opts))));
  });

  return router;
}

/** A malformed UUID in the path: 400 with name `uuid` (as the served OAS documents for every path UUID). */
function readUuid(value: string | string[] | undefined): string {
  const id = (typeof value === 'string' ? value : '').toLowerCase();
  if (!UUID4_RE.test(id)) throw ApiError.validation([{ name: 'uuid', code: 'invalid', reason: 'Geen geldige UUID4.' }]);
  return id;
}

async function klantExists(opts: AuditRoutesOptions, id: string, requestId: string): Promise<boolean> {
  try {
    return (await opts.klanten.get(id, { requestId, fields: ['klantnummer'] })) !== undefined;
  } catch (err) {
    throw backendToApiError(err);
  }
}

/** The audit store unreachable (Redis down): 503, the client may retry. */
async function readStore<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw new ApiError({
      status: 503,
      code: 'service_unavailable',
      title: 'Dienst tijdelijk niet beschikbaar.',
      detail: 'De audit trail is nu niet leesbaar; probeer het later opnieuw.',
      headers: { 'Retry-After': '5' },
      cause: err,
    });
  }
}

function linkFor(req: Request, opts: AuditRoutesOptions): (apiPath: string) => string {
  const base = opts.resolveBase({
    protocol: req.protocol,
    host: req.headers.host ?? '',
    remoteAddress: req.socket.remoteAddress ?? '',
    headers: req.headers,
  });
  return makeLinker(base, opts.links).url;
}
