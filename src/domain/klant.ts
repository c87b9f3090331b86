// The Klant resource as the Klanten API 1.0.0 describes it, without its `url` (which depends on
// the request's public base and is added on the way out). Shared by mapping/, backend/, klanten/.

export const SUBJECT_TYPES = ['natuurlijk_persoon', 'niet_natuurlijk_persoon', 'vestiging'] as const;
export type SubjectType = (typeof SUBJECT_TYPES)[number];

export interface KlantAdres {
  straatnaam: string;
  huisnummer: number | null;
  huisletter: string;
  huisnummertoevoeging: string;
  postcode: string;
  woonplaatsnaam: string;
  landcode: string;
}

export interface VerblijfsAdres {
  aoaIdentificatie: string;
  wplWoonplaatsNaam: string;
  gorOpenbareRuimteNaam: string;
  aoaPostcode: string;
  aoaHuisnummer: number | null;
  aoaHuisletter: string;
  aoaHuisnummertoevoeging: string;
  inpLocatiebeschrijving: string;
}

export interface SubVerblijfBuitenland {
  lndLandcode: string;
  lndLandnaam: string;
  subAdresBuitenland1: string;
  subAdresBuitenland2: string;
  subAdresBuitenland3: string;
}

export interface NatuurlijkPersoon {
  inpBsn: string;
  anpIdentificatie: string;
  inpANummer: string;
  geslachtsnaam: string;
  voorvoegselGeslachtsnaam: string;
  voorletters: string;
  voornamen: string;
  geslachtsaanduiding: '' | 'm' | 'v' | 'o';
  geboortedatum: string;
  verblijfsadres: VerblijfsAdres | null;
  subVerblijfBuitenland: SubVerblijfBuitenland | null;
}

export interface NietNatuurlijkPersoon {
  innNnpId: string;
  annIdentificatie: string;
  statutaireNaam: string;
  innRechtsvorm: string;
  bezoekadres: string;
  subVerblijfBuitenland: SubVerblijfBuitenland | null;
}

export interface Vestiging {
  vestigingsNummer: string;
  handelsnaam: string[];
  verblijfsadres: VerblijfsAdres | null;
  subVerblijfBuitenland: SubVerblijfBuitenland | null;
}

export type SubjectIdentificatie = NatuurlijkPersoon | NietNatuurlijkPersoon | Vestiging;

/**
 * Klant as rendered (all fields present, in the OAS' property order; empty text = "", absent
 * adres/subjectIdentificatie = null). `url` is not part of it.
 */
export interface KlantData {
  bronorganisatie: string;
  klantnummer: string;
  bedrijfsnaam: string;
  functie: string;
  websiteUrl: string;
  voornaam: string;
  voorvoegselAchternaam: string;
  achternaam: string;
  telefoonnummer: string;
  emailadres: string;
  adres: KlantAdres | null;
  subject: string;
  subjectType: SubjectType | null;
  subjectIdentificatie: SubjectIdentificatie | null;
}

/** A Klant without any data, as it is rendered: the starting point of creates and merges. */
export const EMPTY_KLANT: KlantData = {
  bronorganisatie: '',
  klantnummer: '',
  bedrijfsnaam: '',
  functie: '',
  websiteUrl: '',
  voornaam: '',
  voorvoegselAchternaam: '',
  achternaam: '',
  telefoonnummer: '',
  emailadres: '',
  adres: null,
  subject: '',
  subjectType: null,
  subjectIdentificatie: null,
};
