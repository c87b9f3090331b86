// Hostile request bodies on POST / PUT / PATCH: random JSON, wrong types, unknown fields, huge
// strings, deep nesting, broken JSON, wrong media types. Every one is refused with a clean
// 400/413/415 problem in time, and NOTHING reaches the backend as a write: the simulator's
// kennisgeving counters, its object counts and the stored state of the klant stay exactly as they were.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startHarness, type Harness } from '../support/harness.ts';
import { klantBody, RecordingPorts, SUBJECT_TYPES } from '../support/write-fixtures.ts';
import { headerText } from './generators.ts';
import { CaseCounter, closeAgent, expectClean, rawRequest, runs, type RawResponse } from './support.ts';

// Hundreds of cases per property; a busy CI machine must not turn that into a timeout.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 60_000 });

let h: Harness;
let auth: Record<string, string>;
/** One existing klant per subject type, for PUT/PATCH. */
const existing: { path: string; type: string; entity: 'NPS' | 'NNP' | 'VES' }[] = [];
const cases = new CaseCounter('request bodies');
const rec = new RecordingPorts();

const WRITE_MESSAGES = ['npsLk01', 'nnpLk01', 'vesLk01', 'npsLk02', 'nnpLk02', 'vesLk02'];

beforeAll(async () => {
  h = await startHarness({ writePorts: rec.ports() });
  auth = { authorization: `Bearer ${h.token('writer')}` };
  for (const [type, entity] of [['natuurlijk_persoon', 'NPS'], ['niet_natuurlijk_persoon', 'NNP'], ['vestiging', 'VES']] as const) {
    const list = await h.get(`/api/v1/klanten?subjectType=${type}`);
    const k = list.body.results[20];
    const path = new URL(k.url).pathname;
    existing.push({ path, type, entity });
  }
});

afterAll(async () => {
  cases.report();
  closeAgent();
  await h?.close();
});

/**
 * What a write would change: kennisgevingen received (any write is one), objects per entity,
 * audit entries and notifications; with `entity`, also the stored XML of that entity's objects.
 */
function backendState(entity?: 'NPS' | 'NNP' | 'VES'): string {
  const s = h.simulator.stats();
  const lk = WRITE_MESSAGES.map((m) => s.requests.byMessage[m] ?? 0);
  const objects = entity ? h.simulator.objects(entity).map((o) => o.xml) : [];
  return JSON.stringify({ lk, counts: s.objects, objects, audits: rec.audits.length, notifications: rec.notifications.length });
}

async function send(method: string, path: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<RawResponse> {
  return rawRequest(h.gateway.url, {
    method,
    path,
    headers: { ...auth, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers },
    body,
  });
}

/** Sends, checks the answer is a clean refusal, and that nothing was written. */
async function expectRefused(method: string, path: string, body: string | Buffer, headers: Record<string, string> = {}, allowed = [400, 413, 415]): Promise<RawResponse> {
  const before = backendState();
  const r = await send(method, path, body, headers);
  const what = `${method} ${path} ${String(body).slice(0, 200)}`;
  expectClean(r, allowed, what);
  expect(backendState(), `something was written for ${what}`).toBe(before);
  return r;
}

// ---------------------------------------------------------------------------------------------
// Generators

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Leaf and group paths of a body, for targeted damage. */
function pathsOf(v: Json, at: string[] = []): string[][] {
  if (v === null || typeof v !== 'object') return [at];
  const kids = Array.isArray(v) ? v.map((x, i) => pathsOf(x, [...at, String(i)])) : Object.entries(v).map(([k, x]) => pathsOf(x, [...at, k]));
  return [...(at.length > 0 ? [at] : []), ...kids.flat()];
}

function setAt(v: Json, path: string[], value: Json): Json {
  const copy = structuredClone(v) as Record<string, Json>;
  let cur: Record<string, Json> = copy;
  for (const p of path.slice(0, -1)) cur = cur[p] as Record<string, Json>;
  // defineProperty, not `=`: a generated key "__proto__" must become a JSON member, not the prototype.
  Object.defineProperty(cur, path.at(-1)!, { value, enumerable: true, writable: true, configurable: true });
  return copy as Json;
}

const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** A JSON value of another type than `v` (never null: several fields are nullable by the OAS). */
const wrongType = (v: unknown): fc.Arbitrary<Json> =>
  fc
    .oneof(
      fc.boolean(),
      fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })),
      fc.string({ maxLength: 20 }),
      fc.array(fc.jsonValue({ maxDepth: 1 }) as fc.Arbitrary<Json>, { maxLength: 3 }),
      fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 1 }) as fc.Arbitrary<Json>, { maxKeys: 3 }),
    )
    .filter((x) => typeOf(x) !== typeOf(v));

const validBody = fc.constantFrom(...SUBJECT_TYPES).map((t) => klantBody(t) as Json);

/** A valid create body with one value (leaf or group) replaced by one of another type. */
const wrongTypedBody = validBody.chain((body) => {
  const paths = pathsOf(body);
  return fc.nat(paths.length - 1).chain((i) => {
    const path = paths[i]!;
    const current = path.reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], body);
    return wrongType(current).map((value) => ({ body: setAt(body, path, value), path: path.join('.') }));
  });
});

const KNOWN = new Set(pathsOf(klantBody('natuurlijk_persoon') as Json).concat(pathsOf(klantBody('vestiging') as Json), pathsOf(klantBody('niet_natuurlijk_persoon') as Json)).map((p) => p.at(-1)!).concat(['url', 'klantnummer', 'subject', 'bedrijfsnaam']));

/** A valid body with an unknown field added at the top or inside a group. */
const unknownFieldBody = fc
  .tuple(validBody, fc.string({ minLength: 1, maxLength: 30 }).filter((k) => !KNOWN.has(k) && !/^\d+$/.test(k)), fc.jsonValue({ maxDepth: 2 }), fc.constantFrom('', 'adres', 'subjectIdentificatie', 'subjectIdentificatie.verblijfsadres'))
  .map(([body, key, value, group]) => {
    const target = group === '' ? [] : group.split('.');
    const holder = target.reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], body);
    if (holder === undefined || holder === null || typeof holder !== 'object') return { body: { ...(body as object), [key]: value } as Json, key };
    return { body: setAt(body, [...target, key], value as Json), key };
  });

/** A valid body with one string field made huge (over its maxLength — the longest in the OAS is 1000 —; sometimes over the 100 KiB body limit). */
const hugeStringBody = fc.tuple(validBody, fc.nat(), fc.integer({ min: 1_001, max: 150_000 }), fc.constantFrom('x', 'é', '😀', '\u0000', '<')).map(([body, i, size, unit]) => {
  const strings = pathsOf(body).filter((p) => typeof p.reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], body) === 'string');
  const path = strings[i % strings.length]!;
  return { body: setAt(body, path, unit.repeat(size)), path: path.join('.') };
});

/** Nested arrays/objects, as the whole body or inside a field. */
const deepBody = fc.tuple(validBody, fc.integer({ min: 10, max: 40_000 }), fc.constantFrom('[]', '{}'), fc.boolean()).map(([body, depth, kind, whole]) => {
  const nest = kind === '[]' ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
  if (whole) return nest;
  return JSON.stringify(body).replace('"voornaam":"Jan"', `"voornaam":${nest}`);
});

/** Bytes that are not (valid UTF-8) JSON. */
const brokenJson = fc.oneof(
  fc.constantFrom('', '{', '}', '{"a":}', "{'a':1}", '{"a":1,}', 'NaN', 'undefined', '{"a":1}{"b":2}', '\u0000', '[1,2', '"\\ud800"', '{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"x":1}}}'),
  fc.string({ maxLength: 200 }),
  fc.uint8Array({ minLength: 1, maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')),
);

// ---------------------------------------------------------------------------------------------

describe('POST /klanten', () => {
  it('random JSON values: 400, nothing written', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), async (v) => {
        cases.hit('POST random JSON');
        await expectRefused('POST', '/api/v1/klanten', JSON.stringify(v) ?? 'null');
      }),
      { numRuns: runs(150) },
    );
  });

  it('a valid body with one value of the wrong type: 400 naming a field, nothing written', async () => {
    await fc.assert(
      fc.asyncProperty(wrongTypedBody, async ({ body, path }) => {
        cases.hit('POST wrong type');
        const r = await expectRefused('POST', '/api/v1/klanten', JSON.stringify(body), {}, [400]);
        expect(r.body.invalidParams.length, path).toBeGreaterThan(0);
      }),
      { numRuns: runs(200) },
    );
  });

  it('unknown fields anywhere: 400, nothing written', async () => {
    await fc.assert(
      fc.asyncProperty(unknownFieldBody, async ({ body, key }) => {
        cases.hit('POST unknown field');
        const text = JSON.stringify(body);
        expect(text, 'the generated key is in the sent JSON').toContain(JSON.stringify(key).slice(0, -1));
        await expectRefused('POST', '/api/v1/klanten', text, {}, [400]);
      }),
      { numRuns: runs(120) },
    );
  });

  it('huge strings: 400 (too long) or 413 (over the body limit), nothing written', async () => {
    await fc.assert(
      fc.asyncProperty(hugeStringBody, async ({ body, path }) => {
        cases.hit('POST huge string');
        const text = JSON.stringify(body);
        const r = await expectRefused('POST', '/api/v1/klanten', text, {}, [400, 413]);
        if (Buffer.byteLength(text) > 100 * 1024) expect(r.status, path).toBe(413);
      }),
      { numRuns: runs(60) },
    );
  });

  it('deep nesting: refused in time, nothing written', async () => {
    await fc.assert(
      fc.asyncProperty(deepBody, async (text) => {
        cases.hit('POST deep nesting');
        await expectRefused('POST', '/api/v1/klanten', text);
      }),
      { numRuns: runs(60) },
    );
  });

  it('broken JSON and bytes: 400, nothing written', async () => {
    await fc.assert(
      fc.asyncProperty(brokenJson, async (text) => {
        cases.hit('POST broken JSON');
        await expectRefused('POST', '/api/v1/klanten', Buffer.from(text, 'latin1'));
      }),
      { numRuns: runs(150) },
    );
    // The prototype of plain objects is untouched by a __proto__ body.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a valid body with a wrong or odd media type: 415 (or 400 for a JSON type with a bad charset), nothing written', async () => {
    const mediaType = fc.oneof(
      fc.constantFrom('text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/json', 'application/jsonx', 'json', '', 'application/json; charset=latin1', 'application/json; charset=utf-16', 'application/json;charset=x'),
      headerText(60),
    );
    await fc.assert(
      fc.asyncProperty(validBody, mediaType, async (body, type) => {
        cases.hit('POST media type');
        const isJson = /^\s*application\/(json|[^;]*\+json)\s*(;|$)/i.test(type);
        fc.pre(!isJson || /charset/i.test(type) && !/charset=\s*"?utf-8/i.test(type));
        await expectRefused('POST', '/api/v1/klanten', JSON.stringify(body), { 'content-type': type }, [400, 415]);
      }),
      { numRuns: runs(100) },
    );
  });
});

describe('PUT / PATCH /klanten/{uuid} on an existing klant', () => {
  const target = () => fc.constantFrom(...existing);
  const method = fc.constantFrom('PUT', 'PATCH');

  it('random JSON, wrong types, unknown fields, huge strings, deep nesting: refused, the klant unchanged', async () => {
    const body = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? 'null').filter((s) => s !== '{}'),
      wrongTypedBody.map((b) => JSON.stringify(b.body)),
      unknownFieldBody.map((b) => JSON.stringify(b.body)),
      hugeStringBody.map((b) => JSON.stringify(b.body)),
      deepBody,
      brokenJson,
    );
    await fc.assert(
      fc.asyncProperty(target(), method, body, async (t, m, text) => {
        cases.hit('PUT/PATCH hostile body');
        const r = await send(m, t.path, Buffer.from(text, 'latin1'));
        // A hostile body can still be a valid PATCH by chance (e.g. only a valid field); then it is a real write.
        if (r.status === 200) {
          cases.note('PUT/PATCH hostile body that was valid by chance (a real write)');
          return;
        }
        expectClean(r, [400, 412, 413, 415], `${m} ${text.slice(0, 200)}`);
      }),
      { numRuns: runs(150) },
    );
  });

  it('a wrong-typed or unknown field never changes the stored object', async () => {
    await fc.assert(
      fc.asyncProperty(target(), method, fc.oneof(wrongTypedBody, unknownFieldBody), async (t, m, b) => {
        cases.hit('PUT/PATCH invalid body, nothing written');
        // Keep the body's subjectType that of the target so the refusal is about the damaged value.
        const body = { ...(b.body as Record<string, Json>) };
        if (typeof body.subjectType === 'string') body.subjectType = t.type;
        if ('subjectIdentificatie' in body && typeof body.subjectType === 'string' && body.subjectType !== (b.body as Record<string, Json>).subjectType) {
          delete body.subjectIdentificatie;
        }
        const before = backendState(t.entity);
        const r = await send(m, t.path, JSON.stringify(body));
        if (r.status === 200) {
          // Re-typing subjectType or dropping subjectIdentificatie can repair the damage: a legal write.
          cases.note('PUT/PATCH body repaired by re-typing subjectType (a real write)');
          return;
        }
        expectClean(r, [400], `${m} ${JSON.stringify(body).slice(0, 200)}`);
        expect(backendState(t.entity), `${m} ${JSON.stringify(body).slice(0, 200)}`).toBe(before);
      }),
      { numRuns: runs(120) },
    );
  });
});

it('the write path still works after all of the above, and the "nothing written" check sees a write', async () => {
  const before = backendState('NPS');
  const r = await send('POST', '/api/v1/klanten', JSON.stringify(klantBody('natuurlijk_persoon')));
  expect(r.status, r.text).toBe(201);
  expect(backendState('NPS')).not.toBe(before);
});
