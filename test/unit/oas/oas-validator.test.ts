import { describe, expect, it } from 'vitest';
import { buildOpenApi } from '../../../src/oas/document.ts';
import { serveOpenApi } from '../../../src/oas/serve.ts';
import { validateResponse } from '../../support/oas-validator.ts';
import type { ResponseUnderTest } from '../../support/oas-validator.ts';

const served = buildOpenApi({ strict: false });
const strict = buildOpenApi({ strict: true });

const ID = '8f5c3b2a-1d4e-4f6a-9b7c-0d1e2f3a4b5c';
const KLANT_PATH = `/api/v1/klanten/${ID}`;

const natuurlijkPersoon = {
  inpBsn: '111222333',
  anpIdentificatie: '',
  inpANummer: '1234567890',
  geslachtsnaam: 'Jansen',
  voorvoegselGeslachtsnaam: '',
  voorletters: 'J',
  voornamen: 'Jan',
  geslachtsaanduiding: 'm',
  geboortedatum: '19700101',
  verblijfsadres: { aoaIdentificatie: '0363200000000001', wplWoonplaatsNaam: 'Amsterdam', gorOpenbareRuimteNaam: 'Dam', aoaPostcode: '1012JS', aoaHuisnummer: 1, aoaHuisletter: '', aoaHuisnummertoevoeging: '', inpLocatiebeschrijving: '' },
  subVerblijfBuitenland: null,
};

const klant = {
  url: `https://gw.example.nl${KLANT_PATH}`,
  bronorganisatie: '002220647',
  klantnummer: '1234',
  bedrijfsnaam: '',
  functie: '',
  websiteUrl: 'https://www.example.nl',
  voornaam: 'Jan',
  voorvoegselAchternaam: '',
  achternaam: 'Jansen',
  telefoonnummer: '0201234567',
  emailadres: '',
  adres: null,
  subject: '',
  subjectType: 'natuurlijk_persoon',
  subjectIdentificatie: natuurlijkPersoon,
};

const vestigingKlant = {
  ...klant,
  subjectType: 'vestiging',
  subjectIdentificatie: { vestigingsNummer: '000012345678', handelsnaam: ['Bakkerij Jansen'], verblijfsadres: null, subVerblijfBuitenland: null },
};

const problem = (status: number, extra: object = {}) => ({
  type: 'urn:klantbrug:fout:x',
  code: 'x',
  title: 'Titel',
  status,
  detail: 'Detail',
  instance: 'urn:uuid:5a6b8c4e-3f1d-4c2b-9a8e-7d6c5b4a3f2e',
  ...extra,
});

const jsonHeaders = { 'api-version': '1.0.0', 'x-request-id': 'req-1', 'content-type': 'application/json' };
const readHeaders = { ...jsonHeaders, etag: '"abc"' };
const problemHeaders = { ...jsonHeaders, 'content-type': 'application/problem+json' };

function read(overrides: Partial<ResponseUnderTest> = {}): ResponseUnderTest {
  return { method: 'GET', path: KLANT_PATH, status: 200, headers: readHeaders, body: klant, ...overrides };
}

describe('validateResponse: responses that match', () => {
  it.each<[string, ResponseUnderTest]>([
    ['klant_read natuurlijk_persoon', read()],
    ['klant_read vestiging', read({ body: vestigingKlant })],
    ['klant_read without subjectType', read({ body: { ...klant, subjectType: null, subjectIdentificatie: null } })],
    ['klant_read with an empty subject group', read({ body: { ...klant, subjectIdentificatie: null } })],
    ['klant_read with an adres', read({ body: { ...klant, adres: { straatnaam: 'Dam', huisnummer: null, huisletter: '', huisnummertoevoeging: '', postcode: '', woonplaatsnaam: '', landcode: '' } } })],
    ['klant_read with fields (partial)', read({ path: `${KLANT_PATH}?fields=achternaam,subjectIdentificatie.inpANummer`, body: { url: klant.url, achternaam: 'Jansen', subjectIdentificatie: { inpANummer: '1234567890' } } })],
    ['klant_read as an absolute URL', read({ path: `https://gw.example.nl${KLANT_PATH}` })],
    ['klant_read with fetch Headers and a JSON text body', read({ headers: new Headers(readHeaders), body: JSON.stringify(klant) })],
    ['klant_read 304', read({ status: 304, headers: { 'api-version': '1.0.0', 'x-request-id': 'r', etag: '"abc"' }, body: undefined })],
    ['klant_read HEAD', read({ method: 'HEAD', body: '' })],
    ['klant_read 404', read({ status: 404, headers: problemHeaders, body: problem(404) })],
    ['klant_list', read({ path: '/api/v1/klanten?achternaam=Jansen', body: { count: 2, next: null, previous: null, results: [klant, vestigingKlant] } })],
    ['klant_create 201', { method: 'POST', path: '/api/v1/klanten', status: 201, headers: { ...jsonHeaders, location: klant.url }, body: klant }],
    ['klant_create 400', { method: 'POST', path: '/api/v1/klanten', status: 400, headers: problemHeaders, body: problem(400, { invalidParams: [{ name: 'bronorganisatie', code: 'required', reason: 'Dit veld is vereist.' }] }) }],
    ['klant_update 412', { method: 'PUT', path: KLANT_PATH, status: 412, headers: problemHeaders, body: problem(412) }],
    ['klant_delete 204', { method: 'DELETE', path: KLANT_PATH, status: 204, headers: { 'api-version': '1.0.0', 'x-request-id': 'r' } }],
    ['klant_list 503', { method: 'GET', path: '/api/v1/klanten', status: 503, headers: problemHeaders, body: problem(503) }],
    ['audittrail_list', { method: 'GET', path: `${KLANT_PATH}/audittrail`, status: 200, headers: { ...jsonHeaders, etag: '"x"' }, body: [] }],
  ])('%s', (_name, res) => {
    expect(validateResponse(res, served)).toEqual([]);
  });

  it('follows the servers URL of a rendered document (public prefix)', () => {
    const doc = serveOpenApi({ strict: false }).documentFor('https://gw.example.nl/prefix');
    expect(validateResponse(read({ path: `/prefix${KLANT_PATH}` }), doc)).toEqual([]);
    expect(validateResponse(read(), doc)).toEqual([]);
  });
});

describe('validateResponse: responses that do not match', () => {
  it.each<[string, ResponseUnderTest, RegExp]>([
    [
      'natuurlijk_persoon with a bad inpANummer',
      read({ body: { ...klant, subjectIdentificatie: { ...natuurlijkPersoon, inpANummer: '0123456789' } } }),
      /body\/subjectIdentificatie\/inpANummer must match pattern/,
    ],
    ['missing API-version', read({ headers: { ...readHeaders, 'api-version': undefined } }), /header API-version missing/],
    ['wrong API-version', read({ headers: { ...readHeaders, 'api-version': '1.1.0' } }), /API-version is 1\.1\.0, document says 1\.0\.0/],
    ['missing ETag on a read', read({ headers: jsonHeaders }), /header ETag missing/],
    ['missing X-Request-ID', read({ headers: { ...readHeaders, 'x-request-id': undefined } }), /header X-Request-ID missing/],
    ['undocumented status', read({ status: 418 }), /status 418 not documented/],
    ['missing Location on 201', { method: 'POST', path: '/api/v1/klanten', status: 201, headers: jsonHeaders, body: klant }, /header Location missing/],
    ['undocumented operation', { method: 'POST', path: KLANT_PATH, status: 200, headers: jsonHeaders, body: {} }, /method not documented/],
    ['undocumented path', read({ path: '/api/v1/zaken' }), /no path in the document matches/],
    ['outside the API base', read({ path: `/klanten/${ID}` }), /not under the API base/],
    ['subjectIdentificatie of another subjectType', read({ body: { ...vestigingKlant, subjectIdentificatie: natuurlijkPersoon } }), /unevaluated propert.*(inpBsn|inpANummer)/],
    ['handelsnaam too long', read({ body: { ...vestigingKlant, subjectIdentificatie: { ...vestigingKlant.subjectIdentificatie, handelsnaam: ['x'.repeat(626)] } } }), /handelsnaam\/0 must NOT have more than 625 characters/],
    ['verblijfsadres without its required members', read({ body: { ...klant, subjectIdentificatie: { ...natuurlijkPersoon, verblijfsadres: { aoaIdentificatie: 'x' } } } }), /verblijfsadres must have required property 'gorOpenbareRuimteNaam'/],
    ['subjectIdentificatie without subjectType', read({ body: { ...klant, subjectType: null } }), /body\/subjectIdentificatie must be equal to one of the allowed values/],
    ['unknown subjectType', read({ body: { ...klant, subjectType: 'bedrijf' } }), /body\/subjectType must be equal to one of the allowed values/],
    ['missing klantnummer in a response', read({ body: { ...klant, klantnummer: undefined } }), /must have required property 'klantnummer'/],
    ['undocumented top-level property', read({ body: { ...klant, geheim: 'x' } }), /body must NOT have unevaluated properties 'geheim'/],
    ['undocumented nested property', read({ body: { ...klant, adres: { straatnaam: 'Dam', stad: 'x' } } }), /body\/adres must NOT have unevaluated properties 'stad'/],
    ['bad format', read({ body: { ...klant, websiteUrl: 'geen url' } }), /websiteUrl must match pattern/],
    ['non-JSON text body', read({ body: '{not json' }), /body is not JSON/],
    ['no body where one is documented', read({ body: undefined }), /body missing/],
    ['a body on 204', { method: 'DELETE', path: KLANT_PATH, status: 204, headers: { 'api-version': '1.0.0', 'x-request-id': 'r' }, body: { a: 1 } }, /has a body, the document describes none/],
    ['a body on HEAD', read({ method: 'HEAD' }), /has a body/],
    ['an error as application/json', { method: 'GET', path: KLANT_PATH, status: 404, headers: jsonHeaders, body: problem(404) }, /Content-Type application\/json not documented/],
    ['a problem without detail', { method: 'GET', path: KLANT_PATH, status: 404, headers: problemHeaders, body: { ...problem(404), detail: undefined } }, /must have required property 'detail'/],
    ['a list item that is not a klant', read({ path: '/api/v1/klanten', body: { count: 1, next: null, previous: null, results: [{ ...klant, bronorganisatie: 5 }] } }), /results\/0\/bronorganisatie must be string/],
    ['a fields response with a bad value', read({ path: `${KLANT_PATH}?fields=subjectIdentificatie`, body: { url: klant.url, subjectType: 'natuurlijk_persoon', subjectIdentificatie: { inpANummer: '12' } } }), /inpANummer must match pattern/],
  ])('%s', (_name, res, problem) => {
    const problems = validateResponse(res, served);
    expect(problems.join('\n')).toMatch(problem);
  });

  it('can allow undocumented properties', () => {
    expect(validateResponse(read({ body: { ...klant, geheim: 'x' } }), served, { closed: false })).toEqual([]);
  });
});

describe('validateResponse against the standard document (strict mode)', () => {
  it('applies the standard discriminator (inheritance style) to subjectIdentificatie', () => {
    const bad = read({ body: { ...klant, subjectIdentificatie: { ...natuurlijkPersoon, inpANummer: 'x' } } });
    expect(validateResponse(bad, strict).join('\n')).toMatch(/inpANummer must match pattern/);
  });

  it('rejects the reference rendering (null groups, "" choices) unless asked to accept it', () => {
    const rendered = read({ headers: { ...readHeaders, 'x-request-id': undefined }, body: { ...klant, subjectIdentificatie: { ...natuurlijkPersoon, geslachtsaanduiding: '' } } });
    const problems = validateResponse(rendered, strict);
    expect(problems.join('\n')).toMatch(/subVerblijfBuitenland must be object/);
    expect(problems.join('\n')).toMatch(/geslachtsaanduiding must be equal to one of the allowed values/);
    expect(validateResponse(rendered, strict, { referenceRendering: true })).toEqual([]);
  });

  it('does not know the extensions', () => {
    expect(validateResponse(read({ method: 'HEAD', body: undefined }), strict).join('\n')).toMatch(/method not documented/);
    expect(validateResponse(read({ status: 304, body: undefined }), strict).join('\n')).toMatch(/status 304 not documented/);
  });
});
