// Every route the Express app serves under /api/v1 is an operation of the served OpenAPI document
// (and every documented operation has a route): walks the app's router stack, so a route added
// without documenting it fails here.
import { describe, expect, it } from 'vitest';
import { createApp, type AppDeps } from '../../../src/app.ts';
import { createAuthenticator } from '../../../src/auth/index.ts';
import { createLogger } from '../../../src/http/index.ts';
import { servedOperations } from '../../../src/oas/operations.ts';
import { testConfig } from '../../support/harness.ts';

interface Layer {
  rawPath?: string | RegExp;
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

function routesOf(stack: Layer[], prefix = ''): string[] {
  const out: string[] = [];
  for (const layer of stack) {
    if (layer.route) {
      for (const [method, on] of Object.entries(layer.route.methods)) {
        if (on && method !== '_all') out.push(`${method.toUpperCase()} ${prefix}${layer.route.path}`);
      }
    } else if (layer.handle?.stack) {
      const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
      out.push(...routesOf(layer.handle.stack, prefix + mount));
    }
  }
  return out;
}

function appRoutes(strict: boolean): string[] {
  const config = testConfig({ server: { strict } });
  const placeholder = {} as never;
  const deps: AppDeps = {
    config,
    logger: createLogger({ level: 'silent' }),
    authenticator: createAuthenticator(config.auth),
    service: placeholder,
    writes: { service: placeholder, idempotency: placeholder },
    audit: placeholder,
  };
  const app = createApp(deps) as unknown as { router: { stack: Layer[] } };
  const routes = routesOf(app.router.stack)
    .filter((r) => r.split(' ')[1]!.startsWith('/api/v1/'))
    .map((r) => {
      const [method, path] = r.split(' ') as [string, string];
      return `${method} ${path.slice('/api/v1'.length).replace(/:([A-Za-z_]+)/g, '{$1}')}`;
    });
  // Express answers HEAD for every GET route: those are served, so they must be documented too.
  const heads = routes.filter((r) => r.startsWith('GET ')).map((r) => r.replace(/^GET /, 'HEAD '));
  return [...new Set([...routes, ...heads])].sort();
}

describe('routes and the served OpenAPI document', () => {
  it('serves exactly the documented operations (extended mode)', () => {
    const documented = servedOperations({ strict: false }).map((o) => `${o.method} ${o.path}`).sort();
    // The OpenAPI document's own locations answer HEAD as HTTP requires, but their path items hold
    // only `get` (the NL API Design Rules' openapi.json rule): the one deliberate gap.
    const served = appRoutes(false).filter((r) => !/^HEAD .*openapi\.(json|yaml)$/.test(r));
    expect(served).toEqual(documented);
  });

  it('serves the standard operations in strict mode (plus the extensions the standard cannot forbid: HEAD, document routes)', () => {
    const documented = new Set(servedOperations({ strict: true }).map((o) => `${o.method} ${o.path}`));
    const undocumented = appRoutes(true).filter((r) => !documented.has(r));
    // HEAD is implied by HTTP for every GET (RFC 9110 §9.3.2) and the document routes serve the standard itself.
    expect(undocumented.filter((r) => !r.startsWith('HEAD ') && !/openapi/.test(r))).toEqual([]);
  });
});
