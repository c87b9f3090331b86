// Strict mode (server.strict): the standard without extensions. If-Match and Idempotency-Key are
// ignored like unknown headers, klantnummer is required on create as the 1.0.0 OAS says, unknown
// body fields are ignored like the reference does, and write answers carry no ETag.
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { contractProblems } from '../support/contract.ts';
import { startHarness, type Harness } from '../support/harness.ts';
import { BRON, RecordingPorts, klantBody, messageCount, storedWith } from '../support/write-fixtures.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ config: { server: { strict: true } }, writePorts: new RecordingPorts().ports() });
});

afterEach(() => {
  expect(h.invalidStufMessages()).toEqual([]);
});

afterAll(async () => {
  await h?.close();
});

it('klantnummer is required on create', async () => {
  const before = messageCount(h.simulator);
  const r = await h.request('POST', '/api/v1/klanten', { body: klantBody('vestiging') });
  expect(r.status).toBe(400);
  expect(r.body.invalidParams).toEqual([{ name: 'klantnummer', code: 'required', reason: expect.any(String) }]);
  expect(messageCount(h.simulator)).toBe(before);
});

it('Idempotency-Key is ignored: two POSTs are two creates', async () => {
  const headers = { 'idempotency-key': 'strict-key' };
  const a = await h.request('POST', '/api/v1/klanten', { body: klantBody('vestiging', { klantnummer: 'STR-1' }), headers });
  const b = await h.request('POST', '/api/v1/klanten', { body: klantBody('vestiging', { klantnummer: 'STR-2' }), headers });
  expect([a.status, b.status]).toEqual([201, 201]);
  expect(a.headers.get('etag')).toBeNull();
  expect(storedWith(h.simulator, BRON, 'STR-2')).toHaveLength(1);
});

it('If-Match is ignored; unknown body fields too', async () => {
  const body = klantBody('natuurlijk_persoon', { klantnummer: 'STR-3', onbekend: 1 });
  // The standard's OAS has a pattern for inpANummer that the reference's "" for an empty value fails.
  (body.subjectIdentificatie as Record<string, unknown>).inpANummer = '1234567890';
  const a = await h.request('POST', '/api/v1/klanten', { body });
  expect(a.status).toBe(201);
  const path = new URL(a.body.url).pathname;
  const r = await h.request('PATCH', path, { body: { voornaam: 'Stricte' }, headers: { 'if-match': '"stale"' } });
  expect(r.status).toBe(200);
  expect(r.headers.get('etag')).toBeNull();
  expect((await h.request('DELETE', path, { headers: { 'if-match': '"stale"' } })).status).toBe(204);
});

it('every response matches the standard OAS', () => {
  expect(contractProblems(h.responses, true)).toEqual([]);
});
