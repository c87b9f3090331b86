// Serves the OpenAPI document: /api/v1/openapi.json (NL API Design Rules' fixed location) and
// /api/v1/schema/openapi.{yaml,json} (the Klanten API reference's location). Public, with CORS for
// GET so API catalogues can read it; `servers` reflects the request's public base.
import { Router, type Request, type RequestHandler, type Response } from 'express';
import { setRoute } from '../http/context.ts';
import { ifNoneMatchMatches } from '../representation/etag.ts';
import type { PublicBase, PublicBaseRequest } from '../representation/links.ts';
import { OPENAPI_JSON_CONTENT_TYPE, OPENAPI_YAML_CONTENT_TYPE, serveOpenApi } from './serve.ts';

export interface OasRoutesOptions {
  strict: boolean;
  resolveBase: (req: PublicBaseRequest) => PublicBase;
}

export function oasRoutes(opts: OasRoutesOptions): Router {
  const served = serveOpenApi({ strict: opts.strict });
  const router = Router();

  const handler =
    (format: 'json' | 'yaml', route: string): RequestHandler =>
    (req: Request, res: Response) => {
      setRoute(res, route);
      const base = opts.resolveBase({
        protocol: req.protocol,
        host: req.headers.host ?? '',
        remoteAddress: req.socket.remoteAddress ?? '',
        headers: req.headers,
      });
      const doc = served.render(base.origin + base.prefix);
      const body = format === 'json' ? doc.json : doc.yaml;
      const etag = format === 'json' ? doc.jsonEtag : doc.yamlEtag;
      send(res, req.headers['if-none-match'], req.method === 'HEAD', body, etag, format);
    };

  router.get('/openapi.json', handler('json', '/api/v1/openapi.json'));
  router.get('/schema/openapi.json', handler('json', '/api/v1/schema/openapi.json'));
  router.get('/schema/openapi.yaml', handler('yaml', '/api/v1/schema/openapi.yaml'));
  return router;
}

function send(res: Response, ifNoneMatch: string | undefined, head: boolean, body: string, etag: string, format: 'json' | 'yaml'): void {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('ETag', etag);
  res.setHeader('Cache-Control', 'public, max-age=300');
  if (ifNoneMatchMatches(ifNoneMatch, etag)) {
    res.status(304).end();
    return;
  }
  res.setHeader('Content-Type', format === 'json' ? OPENAPI_JSON_CONTENT_TYPE : OPENAPI_YAML_CONTENT_TYPE);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  if (head) res.end();
  else res.end(body);
}
