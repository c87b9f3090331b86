import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildOpenApi } from '../../../src/oas/document.ts';
import { normalizePublicBase, serveOpenApi } from '../../../src/oas/serve.ts';

describe('serveOpenApi', () => {
  const served = serveOpenApi({ strict: false });

  it.each([
    ['https://gw.example.nl', 'https://gw.example.nl/api/v1'],
    ['https://gw.example.nl/', 'https://gw.example.nl/api/v1'],
    ['https://gw.example.nl/klantbrug/', 'https://gw.example.nl/klantbrug/api/v1'],
    ['http://localhost:8080', 'http://localhost:8080/api/v1'],
    ['', '/api/v1'],
  ])('base %j → servers [%j]', (base, url) => {
    const r = served.render(base);
    expect(JSON.parse(r.json).servers).toEqual([{ url }]);
    expect(parse(r.yaml).servers).toEqual([{ url }]);
    expect(served.documentFor(base).servers).toEqual([{ url }]);
  });

  it('renders the built document, JSON and YAML alike, apart from servers', () => {
    const r = served.render('https://gw.example.nl');
    const fromJson = JSON.parse(r.json);
    expect(parse(r.yaml)).toEqual(fromJson);
    const { servers: _s, ...rest } = fromJson;
    const { servers: _b, ...built } = buildOpenApi({ strict: false });
    expect(rest).toEqual(JSON.parse(JSON.stringify(built)));
  });

  it('caches per base, and the ETag is the hash of the exact bytes', () => {
    const a = served.render('https://a.example');
    expect(served.render('https://a.example/')).toBe(a);
    const b = served.render('https://b.example');
    expect(b).not.toBe(a);
    expect(b.jsonEtag).not.toBe(a.jsonEtag);
    expect(a.jsonEtag).toBe(`"${createHash('sha256').update(a.json).digest('base64url')}"`);
    expect(a.yamlEtag).toBe(`"${createHash('sha256').update(a.yaml).digest('base64url')}"`);
  });

  it('keeps a bounded number of renderings', () => {
    const small = serveOpenApi({ strict: false, maxCachedBases: 2 });
    const first = small.render('https://one.example');
    small.render('https://two.example');
    small.render('https://three.example');
    const again = small.render('https://one.example');
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
  });

  it('serves the standard document in strict mode', () => {
    const doc = JSON.parse(serveOpenApi({ strict: true }).render('https://gw.example.nl').json);
    expect(doc.paths['/openapi.json']).toBeUndefined();
    expect(Object.keys(doc.paths['/klanten'])).toEqual(['get', 'post', 'parameters']);
    expect(doc.servers).toEqual([{ url: 'https://gw.example.nl/api/v1' }]);
  });

  it('does not hand out the shared document', () => {
    const copy = served.documentFor('https://gw.example.nl');
    copy.info.title = 'changed';
    expect(buildOpenApi({ strict: false }).info.title).toBe('Klanten API');
  });

  it.each(['ftp://x.example', 'not a url', 'https://x.example/?q=1', 'https://x.example/#f'])('rejects public base %j', (base) => {
    expect(() => normalizePublicBase(base)).toThrow();
  });
});
