// KlantData fixtures for the mapping tests: builders with every field present, overridable.
import type {
  KlantAdres,
  KlantData,
  NatuurlijkPersoon,
  NietNatuurlijkPersoon,
  SubVerblijfBuitenland,
  VerblijfsAdres,
  Vestiging,
} from '../../../src/domain/klant.ts';
import { EMPTY_KLANT } from '../../../src/domain/klant.ts';

export const emptyKlant = (subjectType: KlantData['subjectType']): KlantData => ({ ...EMPTY_KLANT, subjectType });

export const adres = (o: Partial<KlantAdres> = {}): KlantAdres => ({
  straatnaam: 'Ĳsselkade',
  huisnummer: 12,
  huisletter: 'a',
  huisnummertoevoeging: 'bis',
  postcode: '3011 AB',
  woonplaatsnaam: "'s-Hertogenbosch",
  landcode: '6030',
  ...o,
});

export const verblijfsadres = (o: Partial<VerblijfsAdres> = {}): VerblijfsAdres => ({
  aoaIdentificatie: '0599200000123456',
  wplWoonplaatsNaam: 'Rotterdam',
  gorOpenbareRuimteNaam: 'Coolsingel',
  aoaPostcode: '3011AD',
  aoaHuisnummer: 40,
  aoaHuisletter: 'B',
  aoaHuisnummertoevoeging: '2hg',
  inpLocatiebeschrijving: 'woonboot bij de brug',
  ...o,
});

export const buitenland = (o: Partial<SubVerblijfBuitenland> = {}): SubVerblijfBuitenland => ({
  lndLandcode: '5010',
  lndLandnaam: 'België',
  subAdresBuitenland1: 'Rue de la Loi 16',
  subAdresBuitenland2: '1000 Bruxelles',
  subAdresBuitenland3: 'Région de Bruxelles-Capitale',
  ...o,
});

const klantBase = (): Omit<KlantData, 'subjectType' | 'subjectIdentificatie'> => ({
  bronorganisatie: '123456782',
  klantnummer: '00012345',
  bedrijfsnaam: 'Bakkerij Zoë & Zonen',
  functie: 'eigenaar',
  websiteUrl: 'https://example.org/klant',
  voornaam: 'Anaïs',
  voorvoegselAchternaam: "van 't",
  achternaam: 'Hoëvenaar-Çelik',
  telefoonnummer: '+31 10 123 45 67',
  emailadres: 'anais@example.org',
  adres: adres(),
  subject: 'https://brp.example.org/ingeschrevenpersonen/999993653',
});

export const npsSubject = (o: Partial<NatuurlijkPersoon> = {}): NatuurlijkPersoon => ({
  inpBsn: '999993653',
  anpIdentificatie: '',
  inpANummer: '1234567890',
  geslachtsnaam: 'Hoëvenaar',
  voorvoegselGeslachtsnaam: 'van',
  voorletters: 'A.M.',
  voornamen: 'Anaïs Marie',
  geslachtsaanduiding: 'v',
  geboortedatum: '1984-02-29',
  verblijfsadres: verblijfsadres(),
  subVerblijfBuitenland: null,
  ...o,
});

export const nnpSubject = (o: Partial<NietNatuurlijkPersoon> = {}): NietNatuurlijkPersoon => ({
  innNnpId: '001234566',
  annIdentificatie: '',
  statutaireNaam: 'Stichting Ēén voor Allen',
  innRechtsvorm: 'stichting',
  bezoekadres: 'Coolsingel 40, 3011 AD Rotterdam',
  subVerblijfBuitenland: null,
  ...o,
});

export const vesSubject = (o: Partial<Vestiging> = {}): Vestiging => ({
  vestigingsNummer: '000012345678',
  handelsnaam: ['Bakkerij Zoë', 'Zoë’s Broodjes'],
  verblijfsadres: verblijfsadres({ inpLocatiebeschrijving: '' }),
  subVerblijfBuitenland: null,
  ...o,
});

export function nps(o: Partial<NatuurlijkPersoon> | null = {}, base: Partial<KlantData> = {}): KlantData {
  return { ...klantBase(), subjectType: 'natuurlijk_persoon', subjectIdentificatie: o === null ? null : npsSubject(o), ...base };
}

export function nnp(o: Partial<NietNatuurlijkPersoon> | null = {}, base: Partial<KlantData> = {}): KlantData {
  return { ...klantBase(), subjectType: 'niet_natuurlijk_persoon', subjectIdentificatie: o === null ? null : nnpSubject(o), ...base };
}

export function ves(o: Partial<Vestiging> | null = {}, base: Partial<KlantData> = {}): KlantData {
  return { ...klantBase(), subjectType: 'vestiging', subjectIdentificatie: o === null ? null : vesSubject(o), ...base };
}

export const chars = (n: number, c = 'x'): string => c.repeat(n);
