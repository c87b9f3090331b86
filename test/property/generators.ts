// fast-check arbitraries for hostile HTTP input: text of every kind (unicode, lone surrogates,
// control characters, invalid UTF-8 as percent-escapes), query strings built from known and unknown
// parameter names, and header values node:http is able to put on the wire.
import fc from 'fast-check';
import { KLANT_FIELD_PATHS } from '../../src/representation/klant-field-paths.ts';

/** The klant_list filter names as the OAS spells them, plus the other spellings the gateway accepts. */
export const FILTER_NAMES = [
  'bronorganisatie', 'klantnummer', 'bedrijfsnaam', 'functie', 'achternaam', 'telefoonnummer', 'emailadres',
  'adres__straatnaam', 'adres__postcode', 'adres__woonplaatsNaam', 'adres__landcode', 'subject', 'subjectType',
  'subjectNatuurlijkPersoon__inpBsn', 'subjectNatuurlijkPersoon__anpIdentificatie', 'subjectNatuurlijkPersoon__inpA_nummer',
  'subjectNietNatuurlijkPersoon__innNnpId', 'subjectNietNatuurlijkPersoon__annIdentificatie', 'subjectVestiging__vestigingsNummer',
  'subject_type', 'adres__woonplaats_naam', 'adres.postcode', 'subjectIdentificatie.inpBsn',
] as const;

export const SUBJECT_TYPES = ['natuurlijk_persoon', 'niet_natuurlijk_persoon', 'vestiging'] as const;

/** Percent-encodes the UTF-8 bytes of s (lone surrogates become U+FFFD, as any client would send). */
export function pct(s: string | Uint8Array): string {
  const bytes = typeof s === 'string' ? Buffer.from(s, 'utf8') : Buffer.from(s);
  let out = '';
  for (const b of bytes) {
    const c = String.fromCharCode(b);
    out += /[A-Za-z0-9_.~-]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Text of every kind, already percent-encoded for a URL. */
export const encodedText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }).map(pct) },
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }).map(pct) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }).map(pct) },
  // Raw bytes: invalid UTF-8 sequences, NUL, overlong encodings.
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 24 }).map(pct) },
  // Very long values (several together can pass the 16 KiB header limit: the query property allows that 431).
  { weight: 1, arbitrary: fc.string({ minLength: 500, maxLength: 4000 }).map(pct) },
  // Broken escapes and separators sent as is.
  { weight: 1, arbitrary: fc.constantFrom('%', '%zz', '%C3', '%E0%A4%A', '%00', '+', '++', ';', '=', '==', '%25%32', '%u0041', '..', '%2F', '[]', '[0]') },
);

export const pageValue: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: -5, max: 5 }).map(String),
  fc.integer().map(String),
  fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String),
  fc.constantFrom('1.0', '1e2', '0x10', ' 1', '1 ', '+1', '01', 'NaN', 'Infinity', '', '١', '２').map(pct),
  encodedText,
);

const paramName: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...FILTER_NAMES) },
  { weight: 2, arbitrary: fc.constant('page') },
  { weight: 1, arbitrary: fc.constant('fields') },
  { weight: 2, arbitrary: encodedText },
  { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'hasOwnProperty', 'subjectType[]', 'page[0]', 'toString') },
);

const paramValue = (name: string): fc.Arbitrary<string> => {
  if (name === 'page') return pageValue;
  if (name === 'subjectType' || name === 'subject_type') return fc.oneof(fc.constantFrom(...SUBJECT_TYPES), encodedText);
  if (name === 'fields') return fieldsValue;
  return encodedText;
};

/** One `name=value` pair (sometimes without `=`). */
const param: fc.Arbitrary<string> = paramName.chain((name) =>
  fc.oneof(
    { weight: 9, arbitrary: paramValue(name).map((v) => `${name}=${v}`) },
    { weight: 1, arbitrary: fc.constant(name) },
  ),
);

/** A whole query string (without '?'): repeated, unknown and malformed parameters included. */
export const queryString: fc.Arbitrary<string> = fc
  .array(param, { maxLength: 8 })
  .chain((pairs) =>
    fc.constantFrom('&', '&&', ';').map((sep) => pairs.join(sep)),
  );

const knownPath = fc.constantFrom(...KLANT_FIELD_PATHS);
const leafName = fc.constantFrom(...new Set(KLANT_FIELD_PATHS.map((p) => p.split('.').at(-1)!)));

/** `fields` values: valid paths and suffixes, near misses, separators in the wrong place, junk. Encoded. */
export const fieldsValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.oneof(knownPath, leafName), { minLength: 1, maxLength: 6 }).map((a) => pct(a.join(','))) },
  {
    weight: 3,
    arbitrary: fc
      .array(fc.oneof(knownPath, leafName, fc.string({ maxLength: 12 }), fc.constantFrom('', ' ', '.', '..', 'a.', '.a', 'URL', 'adres.', 'results.url')), { maxLength: 8 })
      .chain((a) => fc.constantFrom(',', ', ', ',,', ' ').map((sep) => pct(a.join(sep)))),
  },
  { weight: 1, arbitrary: fc.array(knownPath, { minLength: 100, maxLength: 200 }).map((a) => pct(a.join(','))) },
  { weight: 1, arbitrary: fc.string({ minLength: 150, maxLength: 400, unit: fc.constantFrom('a', 'b', '.', '_', '1') }).map(pct) },
  { weight: 2, arbitrary: encodedText },
);

/** A path segment where a klant uuid goes. */
export const uuidSegment: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.uuid({ version: 4 }) },
  { weight: 1, arbitrary: fc.uuid({ version: 4 }).map((u) => u.toUpperCase()) },
  { weight: 2, arbitrary: fc.uuid() },
  { weight: 1, arbitrary: fc.uuid({ version: 4 }).map((u) => u.replaceAll('-', '')) },
  { weight: 1, arbitrary: fc.uuid({ version: 4 }).map((u) => `{${u}}`).map(pct) },
  { weight: 1, arbitrary: fc.uuid({ version: 4 }).chain((u) => fc.nat(35).map((i) => pct(u.slice(0, i) + 'ǅ' + u.slice(i + 1)))) },
  { weight: 3, arbitrary: encodedText.filter((s) => s.length > 0) },
  { weight: 1, arbitrary: fc.constantFrom('.', '%2e', '%2e%2e', '%2F', '%00', '00000000-0000-4000-8000-000000000000', 'ffffffff-ffff-4fff-bfff-ffffffffffff') },
);

/** Header value text node:http accepts (visible ASCII + tab + Latin-1 obs-text), possibly empty. */
export const headerText = (maxLength = 200): fc.Arbitrary<string> =>
  fc.oneof(
    fc.string({ maxLength, unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) }),
    fc.string({
      maxLength,
      unit: fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0xa0, max: 0xff }), fc.constant(9)).map((c) => String.fromCharCode(c)),
    }),
  );

const b64url = (v: unknown): string => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v) ?? 'null', 'utf8').toString('base64url');

/** Authorization header values: junk, JWT-shaped junk, and structurally valid tokens with hostile claims. */
export const authorizationValue = (validToken: string): fc.Arbitrary<string> => {
  const [h = '', p = '', s = ''] = validToken.split('.');
  return fc.oneof(
    headerText(300),
    headerText(100).map((t) => `Bearer ${t}`),
    fc.constantFrom('Bearer', 'Bearer ', 'bearer ' + validToken, 'Basic dXNlcjpwYXNz', `Bearer ${validToken} extra`, `Bearer ${validToken}.`, `Bearer  ${validToken}`, `Token ${validToken}`),
    // Three base64url parts of random JSON.
    fc.tuple(fc.jsonValue({ maxDepth: 3 }), fc.jsonValue({ maxDepth: 3 }), headerText(40)).map(([a, b, c]) => `Bearer ${b64url(a)}.${b64url(b)}.${b64url(c)}`),
    // A header that claims HS256 / none and a payload with hostile claim values.
    fc
      .record({
        alg: fc.constantFrom('HS256', 'none', 'RS256', 'hs256', ''),
        claims: fc.dictionary(fc.constantFrom('client_id', 'iss', 'iat', 'exp', 'nbf', 'user_id', 'user_representation', '__proto__'), fc.jsonValue({ maxDepth: 2 })),
      })
      .map(({ alg, claims }) => `Bearer ${b64url({ alg, typ: 'JWT' })}.${b64url(claims)}.${s}`),
    // The valid token, one character changed.
    fc.tuple(fc.nat(validToken.length - 1), fc.constantFrom('A', '-', '_', '.', '=', '+', '/')).map(([i, c]) => `Bearer ${validToken.slice(0, i)}${c}${validToken.slice(i + 1)}`),
    // Valid header and payload, signature truncated or re-encoded.
    fc.nat(s.length).map((n) => `Bearer ${h}.${p}.${s.slice(0, n)}`),
    fc.constant(`Bearer ${h}.${p}.${Buffer.from(s, 'base64url').toString('base64')}`),
  );
};
