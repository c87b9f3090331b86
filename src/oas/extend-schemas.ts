// Schema wiring of the served (non-strict) document. The standard's `Klant` has no
// subjectIdentificatie; it lives in three schemas named after the subjectType values, each
// allOf[Klant, {subjectIdentificatie}], which nothing references. Here they are wired into a
// oneOf with a discriminator mapping, made disjoint (each pins its subjectType) and completed with
// a branch for klanten without subjectType, so that a plain JSON Schema validator and a generator
// reading the discriminator reach the same answer. Also: klantnummer optional on create (kla-001),
// and the nulls / empty strings the gateway (like the reference implementation) renders.
import { marked, withMarkedNote } from './marker.ts';
import type { OasSchema, OpenApiDocument } from './types.ts';

export const SUBJECT_SCHEMAS = {
  natuurlijk_persoon: 'natuurlijk_persoon',
  niet_natuurlijk_persoon: 'niet_natuurlijk_persoon',
  vestiging: 'vestiging',
} as const;

/** Schema of a klant in responses and in klant_update / klant_partial_update bodies. */
export const KLANT_POLYMORF = 'KlantPolymorf';
/** Schema (and request body) of klant_create: as KlantPolymorf, klantnummer optional. */
export const KLANT_AANMAKEN = 'KlantAanmaken';
/** Request body of klant_partial_update: the KlantPolymorf schema, every field optional. */
export const KLANT_DEELS_BIJWERKEN = 'KlantDeelsBijwerken';
/** The oneOf branch for a klant whose subjectType is null or absent. */
export const KLANT_ZONDER_SUBJECT_TYPE = 'KlantZonderSubjectType';

const ref = (name: string): OasSchema => ({ $ref: `#/components/schemas/${name}` });

function schemaOf(doc: OpenApiDocument, name: string): OasSchema {
  const schema = doc.components.schemas?.[name];
  if (!schema) throw new Error(`OAS has no components.schemas.${name}`);
  return schema;
}

function propertyOf(doc: OpenApiDocument, schemaName: string, prop: string): OasSchema {
  const schema = schemaOf(doc, schemaName).properties?.[prop];
  if (!schema) throw new Error(`OAS has no ${schemaName}.${prop}`);
  return schema;
}

function klantnummerOptionalOnCreate(doc: OpenApiDocument): void {
  const klant = schemaOf(doc, 'Klant');
  klant.required = (klant.required ?? []).filter((name) => name !== 'klantnummer');
  const prop = propertyOf(doc, 'Klant', 'klantnummer');
  prop.description = withMarkedNote(
    prop.description,
    'Optioneel bij aanmaken (klant_create): ontbreekt het, dan kent de gateway een klantnummer toe ' +
      'dat uniek is binnen de bronorganisatie (regel kla-001). In antwoorden en in het verzoek van ' +
      'klant_update is het verplicht (zie KlantPolymorf).',
  );
}

/** Groups the gateway renders as null when the backend has none (the reference does the same). */
function nullableGroups(doc: OpenApiDocument): void {
  const groups: [string, string][] = [
    ['NatuurlijkPersoon', 'subjectIdentificatie is null als de backend geen gegevens van het subject heeft.'],
    ['NietNatuurlijkPersoon', 'subjectIdentificatie is null als de backend geen gegevens van het subject heeft.'],
    ['Vestiging', 'subjectIdentificatie is null als de backend geen gegevens van het subject heeft.'],
    ['VerblijfsAdres', 'null als er geen verblijfsadres is; ook in verzoeken toegestaan.'],
    ['SubVerblijfBuitenland', 'null als er geen verblijf buitenland is; ook in verzoeken toegestaan.'],
  ];
  for (const [name, why] of groups) {
    const schema = schemaOf(doc, name);
    schema.nullable = true;
    schema.description = withMarkedNote(schema.description, `Kan null zijn: ${why}`);
  }
}

/** Enums whose "no value" is rendered (and accepted) as "" — the standard's enums lack it. */
function emptyEnumValues(doc: OpenApiDocument): void {
  for (const [schemaName, prop] of [
    ['NatuurlijkPersoon', 'geslachtsaanduiding'],
    ['NietNatuurlijkPersoon', 'innRechtsvorm'],
  ] as const) {
    const schema = propertyOf(doc, schemaName, prop);
    schema.enum = [...(schema.enum ?? []), ''];
    schema.description = withMarkedNote(schema.description, '"" betekent: onbekend / niet ingevuld.');
  }
}

/**
 * Text the standard constrains (websiteUrl: required URI, inpANummer: pattern) but a legacy backend
 * may simply not hold: rendered as "" like every other empty text field. Requests keep the
 * standard's rules (src/klanten/schemas.ts); only what the gateway renders may be empty.
 */
function emptyTextFromBackend(doc: OpenApiDocument): void {
  const website = propertyOf(doc, 'Klant', 'websiteUrl');
  delete website.minLength;
  delete website.format;
  website.pattern = '^$|^[hH][tT][tT][pP][sS]?://';
  website.description = withMarkedNote(
    website.description,
    'In antwoorden "" als het achterliggende systeem geen website van de klant kent; in verzoeken een URI (verplicht, zoals de standaard zegt).',
  );
  const aNummer = propertyOf(doc, 'NatuurlijkPersoon', 'inpANummer');
  aNummer.pattern = '^([1-9][0-9]{9})?$';
  aNummer.description = withMarkedNote(aNummer.description, '"" als het A-nummer onbekend is.');
}

/** The reference renders `oud: null` on create and `nieuw: null` on destroy; the standard's schema says object. */
function nullableWijzigingen(doc: OpenApiDocument): void {
  for (const prop of ['oud', 'nieuw']) {
    const schema = propertyOf(doc, 'Wijzigingen', prop);
    schema.nullable = true;
    schema.description = withMarkedNote(schema.description, prop === 'oud' ? 'null bij create.' : 'null bij destroy.');
  }
}

/** Each named subject schema accepts only its own subjectType, so the oneOf below is disjoint. */
function pinSubjectTypes(doc: OpenApiDocument): void {
  for (const value of Object.values(SUBJECT_SCHEMAS)) {
    const schema = schemaOf(doc, value);
    schema.allOf = [
      ...(schema.allOf ?? []),
      {
        type: 'object',
        required: ['subjectType'],
        properties: { subjectType: { type: 'string', enum: [value] } },
      },
    ];
    schema.description = withMarkedNote(
      schema.description,
      `Een KLANT met subjectType \`${value}\`; doelschema van de discriminator in ${KLANT_POLYMORF} en ${KLANT_AANMAKEN}.`,
    );
  }
}

function polymorph(description: string): OasSchema {
  return {
    type: 'object',
    description: marked(description),
    oneOf: [...Object.values(SUBJECT_SCHEMAS).map(ref), ref(KLANT_ZONDER_SUBJECT_TYPE)],
    discriminator: {
      propertyName: 'subjectType',
      mapping: Object.fromEntries(
        Object.values(SUBJECT_SCHEMAS).map((name) => [name, `#/components/schemas/${name}`]),
      ),
    },
  };
}

function addPolymorphSchemas(doc: OpenApiDocument): void {
  const schemas = (doc.components.schemas ??= {});
  schemas[KLANT_ZONDER_SUBJECT_TYPE] = {
    type: 'object',
    description: marked(
      'Een KLANT zonder subjectType (null of afwezig); dan is er ook geen subjectIdentificatie ' +
        '(null of afwezig). Het vierde oneOf-alternatief naast de drie discriminatorwaarden.',
    ),
    allOf: [
      ref('Klant'),
      {
        type: 'object',
        properties: {
          subjectType: { type: 'string', nullable: true, enum: [null] },
          subjectIdentificatie: { type: 'object', nullable: true, enum: [null] },
        },
      },
    ],
  };
  schemas[KLANT_POLYMORF] = {
    ...polymorph(
      'Een KLANT met subjectIdentificatie volgens subjectType (discriminator): ' +
        'natuurlijk_persoon, niet_natuurlijk_persoon of vestiging; subjectType null of afwezig: ' +
        `${KLANT_ZONDER_SUBJECT_TYPE}. Gebruikt in antwoorden en bij klant_update / klant_partial_update.`,
    ),
    required: ['klantnummer'],
  };
  schemas[KLANT_AANMAKEN] = polymorph(
    `Als ${KLANT_POLYMORF}, maar klantnummer is optioneel: de gateway kent er een toe als het ontbreekt (kla-001).`,
  );
}

function wireRequestBodies(doc: OpenApiDocument): void {
  const bodies = (doc.components.requestBodies ??= {});
  const standard = bodies['Klant'];
  const media = standard?.content?.['application/json'];
  if (!standard || !media) throw new Error('OAS has no requestBodies.Klant application/json');
  media.schema = ref(KLANT_POLYMORF);
  standard.description = marked(`Schema ${KLANT_POLYMORF}: subjectIdentificatie volgens subjectType.`);
  bodies[KLANT_DEELS_BIJWERKEN] = {
    description: marked(
      `Schema ${KLANT_POLYMORF}, maar bij klant_partial_update is geen enkel veld verplicht: alleen de ` +
        'opgegeven velden worden gewijzigd (zoals in de referentie-implementatie). Het resultaat moet ' +
        'weer aan het schema voldoen.',
    ),
    required: true,
    content: { 'application/json': { schema: ref(KLANT_POLYMORF) } },
  };
  bodies[KLANT_AANMAKEN] = {
    description: marked(`Schema ${KLANT_AANMAKEN}: klantnummer optioneel (kla-001), subjectIdentificatie volgens subjectType.`),
    required: true,
    content: { 'application/json': { schema: ref(KLANT_AANMAKEN) } },
  };
}

/** All schema-level changes of the served document, applied in place. */
export function extendSchemas(doc: OpenApiDocument): void {
  klantnummerOptionalOnCreate(doc);
  nullableGroups(doc);
  emptyEnumValues(doc);
  emptyTextFromBackend(doc);
  nullableWijzigingen(doc);
  pinSubjectTypes(doc);
  addPolymorphSchemas(doc);
  wireRequestBodies(doc);
}
