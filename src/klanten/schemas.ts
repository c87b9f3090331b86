// Request validation of the Klanten API 1.0.0 resource, following its OAS (schemas/oas): the
// bodies of klant_create / klant_update (PUT) / klant_partial_update (PATCH) and the klant_list
// query. Errors come back as ValidatieFout.invalidParams entries with the reference
// implementation's codes (`required`, `null`, `blank`, `max_length`, `invalid_choice`, ...),
// `name` the camelCase JSON path (`adres.huisnummer`, `subjectIdentificatie.handelsnaam.0`) and
// a Dutch `reason`.
//
// Decisions beyond the OAS (reference behaviour unless noted):
// - `subjectIdentificatie` is validated against the schema its `subjectType` names; without a
//   subjectType in the body the stored one (opts.currentSubjectType) is used; with neither, an
//   object subjectIdentificatie is an error on `subjectType` (`required`).
// - `url` (read-only) is accepted and dropped; other unknown fields are an error
//   (`unknown_field`) unless opts.unknownFields is 'ignore' (the reference ignores them).
// - `klantnummer` is optional on create (the gateway generates it, kla-001) unless opts.strict.
// - bronorganisatie / innNnpId (RSIN) and inpBsn (BSN) pass the 11-proef; "" is accepted where
//   the reference allows a blank value (all optional text, `subject`, `emailadres`, the two choice
//   fields); null is accepted for adres, verblijfsadres, subVerblijfBuitenland, subjectType.
// - create / update: groups given (adres, subjectIdentificatie, verblijfsadres...) come back
//   complete, missing members filled with "" / null / [] as the API renders them; top-level fields
//   come back only when given. partial (PATCH): everything optional at every depth, nothing
//   filled, so the caller can merge; validate the merged result in 'update' mode to check the
//   groups' required members.
import { z } from 'zod';
import type { KlantFilter } from '../backend/klanten-backend.ts';
import { SUBJECT_TYPES } from '../domain/klant.ts';
import type { KlantData, SubjectIdentificatie, SubjectType } from '../domain/klant.ts';

export interface InvalidParam {
  name: string;
  code: string;
  reason: string;
}

export type KlantBodyMode = 'create' | 'update' | 'partial';

export interface KlantBodyOptions {
  /** Unknown fields: 'reject' (default, 400 `unknown_field`) or 'ignore' (dropped, as the reference does). */
  unknownFields?: 'reject' | 'ignore';
  /** Standard-only mode: klantnummer is required on create, as the OAS says. */
  strict?: boolean;
  /**
   * update / partial: the stored klant's subjectType. Chooses the subjectIdentificatie schema when
   * the body has no subjectType, and a different subjectType in the body is then refused
   * (`wijzigen-niet-toegelaten`). Undefined: neither happens.
   */
  currentSubjectType?: SubjectType | null;
}

/** A validated create / update body: the fields given (url dropped), groups complete. */
export type KlantBody = Partial<KlantData>;

type DeepPartial<T> = T extends (infer U)[] ? U[] : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;
/** A validated PATCH body: only what was given, at every depth. */
export type KlantPatch = DeepPartial<KlantData>;

export type Validated<T> = { ok: true; value: T } | { ok: false; invalidParams: InvalidParam[] };

// ---------------------------------------------------------------------------------------------
// Value checks shared by bodies and query

/** The 11-proef of BSN and RSIN: 9 digits, sum of digit × weight (9..2, last −1) divisible by 11. */
export function passesElevenTest(value: string): boolean {
  if (!/^[0-9]{9}$/.test(value)) return false;
  let total = 0;
  for (let i = 0; i < 9; i++) total += Number(value[i]) * (i === 8 ? -1 : 9 - i);
  return total % 11 === 0;
}

interface CheckFailure {
  code: string;
  reason: string;
}

/** vng-api-common validate_rsin / validate_bsn: only-digits, invalid-length, invalid. */
function elevenTestFailure(value: string, what: 'RSIN' | 'BSN'): CheckFailure | undefined {
  if (!/^[0-9]+$/.test(value)) return { code: 'only-digits', reason: 'Waarde moet numeriek zijn.' };
  if (value.length !== 9) return { code: 'invalid-length', reason: `${what} moet 9 tekens lang zijn.` };
  if (!passesElevenTest(value)) return { code: 'invalid', reason: `Onjuist ${what} nummer.` };
  return undefined;
}

/** An absolute http(s) URL with a host (the OAS' `format: uri` as the reference accepts it). */
export function isHttpUrl(value: string): boolean {
  if (/\s/.test(value)) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

const EMAIL_RE = z.regexes.email;

// ---------------------------------------------------------------------------------------------
// Field schemas

/** custom issue carrying its invalidParams code */
const failWith = (failure: CheckFailure) => ({ message: failure.reason, params: { code: failure.code } });

function text(max: number, opts: { min1?: boolean } = {}) {
  const s = z.string().max(max);
  return opts.min1 ? s.min(1) : s;
}

function elevenTestField(what: 'RSIN' | 'BSN', opts: { min1?: boolean } = {}) {
  return text(9, opts).superRefine((value, ctx) => {
    // "" is `blank` (or allowed) and > 9 is `max_length`: reported once, by those checks.
    if (value === '' || value.length > 9) return;
    const failure = elevenTestFailure(value, what);
    if (failure) ctx.addIssue({ code: 'custom', input: value, ...failWith(failure) });
  });
}

function urlField(opts: { min1?: boolean } = {}) {
  return text(1000, opts).refine(
    (v) => v === '' || isHttpUrl(v),
    failWith({ code: 'invalid', reason: 'Voer een geldige URL in (absoluut, http of https).' }),
  );
}

const emailField = () =>
  text(254).refine((v) => v === '' || EMAIL_RE.test(v), failWith({ code: 'invalid', reason: 'Voer een geldig e-mailadres in.' }));

const aNummerField = () =>
  text(10).refine(
    (v) => v === '' || /^[1-9][0-9]{9}$/.test(v),
    failWith({ code: 'a-nummer-incorrect-format', reason: 'inpANummer moet uit 10 cijfers bestaan en mag niet met 0 beginnen.' }),
  );

/** OAS enum plus "" (blank: the reference accepts and renders it for an unknown value). */
const choiceField = <T extends readonly [string, ...string[]]>(values: T) => z.enum(['', ...values] as [string, ...string[]]);

const huisnummerField = () => z.number().int().min(0).max(99999).nullable();

/** innRechtsvorm values of the OAS (NietNatuurlijkPersoon). */
export const RECHTSVORMEN = [
  'besloten_vennootschap',
  'cooperatie_europees_economische_samenwerking',
  'europese_cooperatieve_venootschap',
  'europese_naamloze_vennootschap',
  'kerkelijke_organisatie',
  'naamloze_vennootschap',
  'onderlinge_waarborg_maatschappij',
  'overig_privaatrechtelijke_rechtspersoon',
  'stichting',
  'vereniging',
  'vereniging_van_eigenaars',
  'publiekrechtelijke_rechtspersoon',
  'vennootschap_onder_firma',
  'maatschap',
  'rederij',
  'commanditaire_vennootschap',
  'kapitaalvennootschap_binnen_eer',
  'overige_buitenlandse_rechtspersoon_vennootschap',
  'kapitaalvennootschap_buiten_eer',
] as const;

// ---------------------------------------------------------------------------------------------
// Object schemas, built per variant

interface Variant {
  /** create / update: groups complete, their required members required. */
  complete: boolean;
  reject: boolean;
}

type Shape = Record<string, z.ZodType>;

/** A group member: required, filled with a default (complete) or optional (partial). */
function member(schema: z.ZodType, v: Variant, fill: unknown): z.ZodType {
  return v.complete ? schema.default(fill as never) : schema.optional();
}

function required(schema: z.ZodType, v: Variant): z.ZodType {
  return v.complete ? schema : schema.optional();
}

function group(shape: Shape, v: Variant) {
  return v.reject ? z.strictObject(shape) : z.object(shape);
}

function adresSchema(v: Variant) {
  return group(
    {
      straatnaam: member(text(100), v, ''),
      huisnummer: member(huisnummerField(), v, null),
      huisletter: member(text(1), v, ''),
      huisnummertoevoeging: member(text(4), v, ''),
      postcode: member(text(7), v, ''),
      woonplaatsnaam: member(text(80), v, ''),
      landcode: member(text(4), v, ''),
    },
    v,
  );
}

function verblijfsAdresSchema(v: Variant) {
  return group(
    {
      aoaIdentificatie: required(text(100, { min1: true }), v),
      wplWoonplaatsNaam: member(text(80), v, ''),
      gorOpenbareRuimteNaam: required(text(80, { min1: true }), v),
      aoaPostcode: member(text(7), v, ''),
      aoaHuisnummer: member(huisnummerField(), v, null),
      aoaHuisletter: member(text(1), v, ''),
      aoaHuisnummertoevoeging: member(text(4), v, ''),
      inpLocatiebeschrijving: member(text(1000), v, ''),
    },
    v,
  );
}

function subVerblijfBuitenlandSchema(v: Variant) {
  return group(
    {
      lndLandcode: required(text(4, { min1: true }), v),
      lndLandnaam: required(text(40, { min1: true }), v),
      subAdresBuitenland1: member(text(35), v, ''),
      subAdresBuitenland2: member(text(35), v, ''),
      subAdresBuitenland3: member(text(35), v, ''),
    },
    v,
  );
}

function subjectSchemas(v: Variant): Record<SubjectType, z.ZodType> {
  const verblijfsadres = member(verblijfsAdresSchema(v).nullable(), v, null);
  const buitenland = member(subVerblijfBuitenlandSchema(v).nullable(), v, null);
  return {
    natuurlijk_persoon: group(
      {
        inpBsn: member(elevenTestField('BSN'), v, ''),
        anpIdentificatie: member(text(17), v, ''),
        inpANummer: member(aNummerField(), v, ''),
        geslachtsnaam: member(text(200), v, ''),
        voorvoegselGeslachtsnaam: member(text(80), v, ''),
        voorletters: member(text(20), v, ''),
        voornamen: member(text(200), v, ''),
        geslachtsaanduiding: member(choiceField(['m', 'v', 'o'] as const), v, ''),
        geboortedatum: member(text(18), v, ''),
        verblijfsadres,
        subVerblijfBuitenland: buitenland,
      },
      v,
    ),
    niet_natuurlijk_persoon: group(
      {
        innNnpId: member(elevenTestField('RSIN'), v, ''),
        annIdentificatie: member(text(17), v, ''),
        statutaireNaam: member(text(500), v, ''),
        innRechtsvorm: member(choiceField(RECHTSVORMEN), v, ''),
        bezoekadres: member(text(1000), v, ''),
        subVerblijfBuitenland: buitenland,
      },
      v,
    ),
    vestiging: group(
      {
        vestigingsNummer: member(text(24), v, ''),
        handelsnaam: member(z.array(text(625)), v, []),
        verblijfsadres,
        subVerblijfBuitenland: buitenland,
      },
      v,
    ),
  };
}

interface BodySchemas {
  /** Everything but subjectIdentificatie (validated second, by subjectType). */
  klant: z.ZodType;
  subjects: Record<SubjectType, z.ZodType>;
}

function bodySchemas(mode: KlantBodyMode, reject: boolean, strict: boolean): BodySchemas {
  const v: Variant = { complete: mode !== 'partial', reject };
  const top = (schema: z.ZodType, isRequired: boolean) => (isRequired && mode !== 'partial' ? schema : schema.optional());
  const shape: Shape = {
    url: z.unknown().optional(),
    bronorganisatie: top(elevenTestField('RSIN', { min1: true }), true),
    klantnummer: top(text(8, { min1: true }), mode === 'update' || (mode === 'create' && strict)),
    bedrijfsnaam: top(text(200), false),
    functie: top(text(200), false),
    websiteUrl: top(urlField({ min1: true }), true),
    voornaam: top(text(200), false),
    voorvoegselAchternaam: top(text(10), false),
    achternaam: top(text(200), false),
    telefoonnummer: top(text(20), false),
    emailadres: top(emailField(), false),
    adres: top(adresSchema(v).nullable(), false),
    subject: top(urlField(), false),
    subjectType: top(z.enum(SUBJECT_TYPES).nullable(), false),
    subjectIdentificatie: z.unknown().optional(),
  };
  return { klant: reject ? z.strictObject(shape) : z.object(shape), subjects: subjectSchemas(v) };
}

const schemaCache = new Map<string, BodySchemas>();

function schemasFor(mode: KlantBodyMode, opts: KlantBodyOptions): BodySchemas {
  const reject = (opts.unknownFields ?? 'reject') === 'reject';
  const strict = opts.strict ?? false;
  const key = `${mode}|${reject}|${strict}`;
  let schemas = schemaCache.get(key);
  if (!schemas) {
    schemas = bodySchemas(mode, reject, strict);
    schemaCache.set(key, schemas);
  }
  return schemas;
}

// ---------------------------------------------------------------------------------------------
// zod issues → invalidParams

const TYPE_NAMES: Record<string, string> = {
  string: 'tekst',
  number: 'een geheel getal',
  int: 'een geheel getal',
  object: 'een object',
  array: 'een lijst',
  boolean: 'true of false',
};

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Path of the first own key named __proto__/constructor/prototype, or undefined. */
function protoKeyPath(value: unknown, path: PropertyKey[], depth = 0): PropertyKey[] | undefined {
  if (value === null || typeof value !== 'object' || depth > 64) return undefined;
  for (const key of Object.keys(value)) {
    if (FORBIDDEN_KEYS.has(key)) return [...path, key];
    const found = protoKeyPath((value as Record<string, unknown>)[key], [...path, key], depth + 1);
    if (found) return found;
  }
  return undefined;
}

function joinPath(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

function toInvalidParams(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[] = []): InvalidParam[] {
  const out: InvalidParam[] = [];
  for (const issue of issues) {
    const name = joinPath([...prefix, ...issue.path]) || 'nonFieldErrors';
    const input = (issue as { input?: unknown }).input;
    switch (issue.code) {
      case 'unrecognized_keys':
        for (const key of issue.keys) {
          out.push({ name: joinPath([...prefix, ...issue.path, key]), code: 'unknown_field', reason: 'Onbekend veld.' });
        }
        break;
      case 'invalid_type':
        if (input === undefined) out.push({ name, code: 'required', reason: 'Dit veld is vereist.' });
        else if (input === null) out.push({ name, code: 'null', reason: 'Dit veld mag niet null zijn.' });
        else if (issue.expected === 'array') out.push({ name, code: 'not_a_list', reason: 'Verwacht een lijst.' });
        else out.push({ name, code: 'invalid', reason: `Ongeldige waarde: verwacht ${TYPE_NAMES[issue.expected] ?? issue.expected}.` });
        break;
      case 'invalid_value':
        if (input === undefined) out.push({ name, code: 'required', reason: 'Dit veld is vereist.' });
        else {
          const choices = issue.values.map((c) => (c === '' ? '""' : String(c))).join(', ');
          out.push({ name, code: 'invalid_choice', reason: `${JSON.stringify(input)} is geen geldige keuze (${choices}).` });
        }
        break;
      case 'too_big':
        if (issue.origin === 'string') {
          out.push({ name, code: 'max_length', reason: `Zorg dat dit veld niet meer dan ${String(issue.maximum)} tekens bevat.` });
        } else {
          out.push({ name, code: 'max_value', reason: `Zorg dat deze waarde kleiner dan of gelijk aan ${String(issue.maximum)} is.` });
        }
        break;
      case 'too_small':
        if (issue.origin === 'string' && input === '') out.push({ name, code: 'blank', reason: 'Dit veld mag niet leeg zijn.' });
        else if (issue.origin === 'string') {
          out.push({ name, code: 'min_length', reason: `Zorg dat dit veld minstens ${String(issue.minimum)} tekens bevat.` });
        } else {
          out.push({ name, code: 'min_value', reason: `Zorg dat deze waarde groter dan of gelijk aan ${String(issue.minimum)} is.` });
        }
        break;
      case 'custom': {
        const code = (issue.params as { code?: unknown } | undefined)?.code;
        out.push({ name, code: typeof code === 'string' ? code : 'invalid', reason: issue.message });
        break;
      }
      default:
        out.push({ name, code: 'invalid', reason: 'Ongeldige waarde.' });
    }
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSubjectType(value: unknown): value is SubjectType {
  return typeof value === 'string' && (SUBJECT_TYPES as readonly string[]).includes(value);
}

// ---------------------------------------------------------------------------------------------
// Public API

export function validateKlantBody(body: unknown, mode: 'partial', opts?: KlantBodyOptions): Validated<KlantPatch>;
export function validateKlantBody(body: unknown, mode: 'create' | 'update', opts?: KlantBodyOptions): Validated<KlantBody>;
export function validateKlantBody(body: unknown, mode: KlantBodyMode, opts?: KlantBodyOptions): Validated<KlantBody | KlantPatch>;
export function validateKlantBody(
  body: unknown,
  mode: KlantBodyMode,
  opts: KlantBodyOptions = {},
): Validated<KlantBody | KlantPatch> {
  if (!isPlainObject(body)) {
    return { ok: false, invalidParams: [{ name: 'nonFieldErrors', code: 'invalid', reason: 'Ongeldige data: verwacht een JSON-object.' }] };
  }
  // JSON.parse keeps "__proto__" as an own key, which schema libraries skip: it must never pass as
  // data (prototype pollution further down), so it is refused at any depth, whatever unknownFields says.
  const proto = protoKeyPath(body, []);
  if (proto !== undefined) {
    return { ok: false, invalidParams: [{ name: joinPath(proto), code: 'unknown_field', reason: 'Onbekend veld.' }] };
  }
  const schemas = schemasFor(mode, opts);
  const invalidParams: InvalidParam[] = [];

  const base = schemas.klant.safeParse(body, { reportInput: true });
  if (!base.success) invalidParams.push(...toInvalidParams(base.error.issues));

  const given = body['subjectType'];
  const current = mode === 'create' ? undefined : opts.currentSubjectType;
  if (current !== undefined && given !== undefined && given !== current) {
    invalidParams.push({
      name: 'subjectType',
      code: 'wijzigen-niet-toegelaten',
      reason: 'Dit veld mag niet gewijzigd worden.',
    });
  }

  let subjectIdentificatie: SubjectIdentificatie | DeepPartial<SubjectIdentificatie> | null | undefined;
  const rawSubject = body['subjectIdentificatie'];
  if (rawSubject === null) subjectIdentificatie = null;
  else if (rawSubject !== undefined) {
    const type = given === undefined ? current : given;
    if (isSubjectType(type)) {
      const parsed = schemas.subjects[type].safeParse(rawSubject, { reportInput: true });
      if (parsed.success) subjectIdentificatie = parsed.data as SubjectIdentificatie;
      else invalidParams.push(...toInvalidParams(parsed.error.issues, ['subjectIdentificatie']));
    } else if (type === null || type === undefined) {
      invalidParams.push({
        name: 'subjectType',
        code: 'required',
        reason: 'subjectType is vereist als subjectIdentificatie is opgegeven.',
      });
    } // an invalid subjectType value is reported by the base schema already
  }

  if (invalidParams.length > 0 || !base.success) return { ok: false, invalidParams };
  const value = { ...(base.data as Record<string, unknown>) };
  delete value['url'];
  delete value['subjectIdentificatie'];
  if (subjectIdentificatie !== undefined) value['subjectIdentificatie'] = subjectIdentificatie;
  return { ok: true, value: value as KlantBody | KlantPatch };
}

// ---------------------------------------------------------------------------------------------
// klant_list query

/** klant_list filters: KlantFilter key → the name in the OAS. */
const LIST_FILTERS: readonly (readonly [keyof KlantFilter, string])[] = [
  ['bronorganisatie', 'bronorganisatie'],
  ['klantnummer', 'klantnummer'],
  ['bedrijfsnaam', 'bedrijfsnaam'],
  ['functie', 'functie'],
  ['achternaam', 'achternaam'],
  ['telefoonnummer', 'telefoonnummer'],
  ['emailadres', 'emailadres'],
  ['adres.straatnaam', 'adres__straatnaam'],
  ['adres.postcode', 'adres__postcode'],
  ['adres.woonplaatsnaam', 'adres__woonplaatsNaam'],
  ['adres.landcode', 'adres__landcode'],
  ['subject', 'subject'],
  ['subjectType', 'subjectType'],
  ['subjectIdentificatie.inpBsn', 'subjectNatuurlijkPersoon__inpBsn'],
  ['subjectIdentificatie.anpIdentificatie', 'subjectNatuurlijkPersoon__anpIdentificatie'],
  ['subjectIdentificatie.inpANummer', 'subjectNatuurlijkPersoon__inpA_nummer'],
  ['subjectIdentificatie.innNnpId', 'subjectNietNatuurlijkPersoon__innNnpId'],
  ['subjectIdentificatie.annIdentificatie', 'subjectNietNatuurlijkPersoon__annIdentificatie'],
  ['subjectIdentificatie.vestigingsNummer', 'subjectVestiging__vestigingsNummer'],
];

/** djangorestframework-camel-case's underscoreize, as the reference applies it to query names. */
function underscoreize(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/**
 * Accepted spellings → filter: the OAS name, its snake_case form (the reference underscoreizes
 * names, so both reach the same filter) and the camelCase JSON path of KlantFilter
 * (`adres.postcode`, `subjectIdentificatie.inpBsn`).
 */
const FILTER_BY_NAME: ReadonlyMap<string, { key: keyof KlantFilter; oasName: string }> = new Map(
  LIST_FILTERS.flatMap(([key, oasName]) =>
    [underscoreize(oasName), underscoreize(key)].map((spelling) => [spelling, { key, oasName }] as const),
  ),
);

export type ListQuery = { ok: true; filter: KlantFilter; page: number } | { ok: false; invalidParams: InvalidParam[] };

/** Last value of a repeated parameter (Django's QueryDict.get); undefined for anything not text. */
function lastValue(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return lastValue(value[value.length - 1]);
  return undefined;
}

/**
 * klant_list query → filter + page. Empty values are ignored (django-filter), unknown
 * parameters too (the VNG tests send a misspelt one and expect 200). page: a positive integer
 * (default 1); subjectType: one of the enum; subject: an http(s) URL; bronorganisatie: an RSIN.
 */
export function validateListQuery(query: Record<string, unknown>): ListQuery {
  const filter: KlantFilter = {};
  const invalidParams: InvalidParam[] = [];
  let page = 1;
  for (const [rawName, rawValue] of Object.entries(query)) {
    const value = lastValue(rawValue);
    if (rawName === 'page') {
      if (value === undefined || value === '') continue;
      const n = /^[1-9][0-9]{0,14}$/.test(value) ? Number(value) : NaN;
      if (Number.isSafeInteger(n)) page = n;
      else invalidParams.push({ name: 'page', code: 'invalid', reason: 'Een geldig geheel getal groter dan 0 is vereist.' });
      continue;
    }
    const known = FILTER_BY_NAME.get(underscoreize(rawName));
    if (!known) continue;
    if (value === undefined) {
      invalidParams.push({ name: known.oasName, code: 'invalid', reason: 'Geef deze parameter één keer op, als tekst.' });
      continue;
    }
    if (value === '') continue;
    const failure = filterValueFailure(known.key, value);
    if (failure) invalidParams.push({ name: known.oasName, ...failure });
    else (filter as Record<string, string>)[known.key] = value;
  }
  return invalidParams.length > 0 ? { ok: false, invalidParams } : { ok: true, filter, page };
}

function filterValueFailure(key: keyof KlantFilter, value: string): CheckFailure | undefined {
  switch (key) {
    case 'subjectType':
      return isSubjectType(value)
        ? undefined
        : { code: 'invalid_choice', reason: `${JSON.stringify(value)} is geen geldige keuze (${SUBJECT_TYPES.join(', ')}).` };
    case 'subject':
      return isHttpUrl(value) && value.length <= 1000
        ? undefined
        : { code: 'invalid', reason: 'Voer een geldige URL in (absoluut, http of https).' };
    case 'bronorganisatie':
      return elevenTestFailure(value, 'RSIN');
    default:
      return undefined;
  }
}
