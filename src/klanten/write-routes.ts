// HTTP routes of the write operations: klant_create (POST, 201 + Location), klant_update (PUT,
// 200), klant_partial_update (PATCH, 200), klant_delete (DELETE, 204). Authorization first; the
// JSON body was parsed (415 / 413 / malformed → 400) by the platform middleware before any of this.
// Extensions, off in strict mode: If-Match (412) on PUT/PATCH/DELETE, Idempotency-Key on POST,
// and an ETag on the 200/201 answers (the ETag klant_read would send for the same representation).
import { Router, type Request, type Response } from 'express';
import { principalOf, requireScope } from '../auth/index.ts';
import { requestIdOf, setRoute } from '../http/context.ts';
import { ApiError } from '../http/problem.ts';
import { UUID4_RE } from '../identity/uuid-bits.ts';
import { makeLinker, type LinkStyle, type PublicBase, type PublicBaseRequest } from '../representation/links.ts';
import { backendToApiError } from './backend-errors.ts';
import { parseIdempotencyKey, type IdempotentCreates } from './idempotency.ts';
import type { StoredResponse } from './idempotency-store.ts';
import type { KlantenWriteService, WriteRequest, WriteResult } from './write-service.ts';
import { readAuditToelichting } from '../audit/index.ts';

export interface WriteRoutesOptions {
  service: KlantenWriteService;
  idempotency: IdempotentCreates;
  resolveBase: (req: PublicBaseRequest) => PublicBase;
  links: LinkStyle;
  /** Standard-only mode: If-Match and Idempotency-Key are ignored, no ETag on write answers. */
  strict: boolean;
}

export function klantenWriteRoutes(opts: WriteRoutesOptions): Router {
  const router = Router();

  router.post('/klanten', async (req, res) => {
    setRoute(res, '/api/v1/klanten');
    const principal = principalOf(res);
    requireScope(principal, 'klanten.aanmaken');
    const key = opts.strict ? undefined : parseIdempotencyKey(req.headers['idempotency-key']);
    const wreq = writeRequest(req, res, opts);
    const create = async (): Promise<StoredResponse> => {
      const r = await backendErrors(() => opts.service.create(req.body, wreq));
      return { status: 201, headers: { Location: wreq.klantUrl(r.id), ...etagHeader(r, opts) }, body: r.body.toString('utf8') };
    };
    const answer = key === undefined ? { ...(await create()), replayed: false } : await opts.idempotency.run(principal.clientId, key, req.body, create);
    if (answer.replayed) res.setHeader('Idempotent-Replayed', 'true');
    send(res, answer);
  });

  const update = (mode: 'update' | 'partial') => async (req: Request, res: Response) => {
    setRoute(res, '/api/v1/klanten/:uuid');
    requireScope(principalOf(res), 'klanten.bijwerken');
    const id = readUuid(req.params['uuid']);
    const r = await backendErrors(() => opts.service.update(id, req.body, mode, writeRequest(req, res, opts)));
    send(res, { status: 200, headers: etagHeader(r, opts), body: r.body.toString('utf8') });
  };
  router.put('/klanten/:uuid', update('update'));
  router.patch('/klanten/:uuid', update('partial'));

  router.delete('/klanten/:uuid', async (req, res) => {
    setRoute(res, '/api/v1/klanten/:uuid');
    requireScope(principalOf(res), 'klanten.verwijderen');
    const id = readUuid(req.params['uuid']);
    await backendErrors(() => opts.service.remove(id, writeRequest(req, res, opts)));
    res.setHeader('Cache-Control', 'no-store');
    res.status(204).end();
  });

  return router;
}

function writeRequest(req: Request, res: Response, opts: WriteRoutesOptions): WriteRequest {
  const base = opts.resolveBase({
    protocol: req.protocol,
    host: req.headers.host ?? '',
    remoteAddress: req.socket.remoteAddress ?? '',
    headers: req.headers,
  });
  const linker = makeLinker(base, opts.links);
  const absolute = opts.links === 'absolute' ? linker : makeLinker(base, 'absolute');
  const ifMatch = req.headers['if-match'];
  return {
    requestId: requestIdOf(res),
    principal: principalOf(res),
    klantUrl: (id) => linker.url(`klanten/${id}`),
    absoluteKlantUrl: (id) => absolute.url(`klanten/${id}`),
    // Node reads header bytes as latin-1; clients send UTF-8 ("één"): decode it properly.
    toelichting: readAuditToelichting(req.headers),
    ifMatch: opts.strict || ifMatch === undefined ? undefined : ifMatch,
  };
}

function etagHeader(r: WriteResult, opts: WriteRoutesOptions): Record<string, string> {
  return opts.strict ? {} : { ETag: r.etag };
}

function send(res: Response, answer: StoredResponse): void {
  for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Type', 'application/json');
  res.status(answer.status).end(answer.body);
}

/** Backend failures the service let through (reads for kla-001, the find-back) → 502 / 503 / 504. */
async function backendErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw backendToApiError(e);
  }
}

function readUuid(value: string | string[] | undefined): string {
  const id = (typeof value === 'string' ? value : '').toLowerCase();
  if (!UUID4_RE.test(id)) {
    throw ApiError.validation([{ name: 'uuid', code: 'invalid', reason: 'Geen geldige UUID4.' }]);
  }
  return id;
}
