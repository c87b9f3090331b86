// Every field path of the Klant resource for `fields`: the OAS `Klant` schema plus the union of
// the three subjectIdentificatie variants (`natuurlijk_persoon`, `niet_natuurlijk_persoon`,
// `vestiging`). Hard-coded so start-up reads no file; generated with fieldPathsFromOas() from
// schemas/oas/klanten-api-1.0.0.openapi.yaml, and test/unit/representation/klant-field-paths.test.ts
// fails (printing the new list) when the OAS changes.
// In this union every leaf name is unique: e.g. `lndLandcode` is the one path
// subjectIdentificatie.subVerblijfBuitenland.lndLandcode shared by all three variants.

import { compileFieldsSchema } from './fields.ts';
import type { FieldsSchema } from './fields.ts';

export const KLANT_FIELD_PATHS: readonly string[] = Object.freeze([
  'url',
  'bronorganisatie',
  'klantnummer',
  'bedrijfsnaam',
  'functie',
  'websiteUrl',
  'voornaam',
  'voorvoegselAchternaam',
  'achternaam',
  'telefoonnummer',
  'emailadres',
  'adres',
  'adres.straatnaam',
  'adres.huisnummer',
  'adres.huisletter',
  'adres.huisnummertoevoeging',
  'adres.postcode',
  'adres.woonplaatsnaam',
  'adres.landcode',
  'subject',
  'subjectType',
  'subjectIdentificatie',
  'subjectIdentificatie.inpBsn',
  'subjectIdentificatie.anpIdentificatie',
  'subjectIdentificatie.inpANummer',
  'subjectIdentificatie.geslachtsnaam',
  'subjectIdentificatie.voorvoegselGeslachtsnaam',
  'subjectIdentificatie.voorletters',
  'subjectIdentificatie.voornamen',
  'subjectIdentificatie.geslachtsaanduiding',
  'subjectIdentificatie.geboortedatum',
  'subjectIdentificatie.verblijfsadres',
  'subjectIdentificatie.verblijfsadres.aoaIdentificatie',
  'subjectIdentificatie.verblijfsadres.wplWoonplaatsNaam',
  'subjectIdentificatie.verblijfsadres.gorOpenbareRuimteNaam',
  'subjectIdentificatie.verblijfsadres.aoaPostcode',
  'subjectIdentificatie.verblijfsadres.aoaHuisnummer',
  'subjectIdentificatie.verblijfsadres.aoaHuisletter',
  'subjectIdentificatie.verblijfsadres.aoaHuisnummertoevoeging',
  'subjectIdentificatie.verblijfsadres.inpLocatiebeschrijving',
  'subjectIdentificatie.subVerblijfBuitenland',
  'subjectIdentificatie.subVerblijfBuitenland.lndLandcode',
  'subjectIdentificatie.subVerblijfBuitenland.lndLandnaam',
  'subjectIdentificatie.subVerblijfBuitenland.subAdresBuitenland1',
  'subjectIdentificatie.subVerblijfBuitenland.subAdresBuitenland2',
  'subjectIdentificatie.subVerblijfBuitenland.subAdresBuitenland3',
  'subjectIdentificatie.innNnpId',
  'subjectIdentificatie.annIdentificatie',
  'subjectIdentificatie.statutaireNaam',
  'subjectIdentificatie.innRechtsvorm',
  'subjectIdentificatie.bezoekadres',
  'subjectIdentificatie.vestigingsNummer',
  'subjectIdentificatie.handelsnaam',
]);

export const KLANT_FIELDS_SCHEMA: FieldsSchema = compileFieldsSchema(KLANT_FIELD_PATHS);
