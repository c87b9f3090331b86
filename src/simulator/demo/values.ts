// Word lists for the demo data: Dutch and foreign names with diacritics, places, streets.
export const BRONORGANISATIES = ['002220647', '802245237', '001963570', '823694379'] as const;

export const VOORNAMEN_M = ['Jan', 'Daan', 'Thijs', 'Noël', 'Søren', 'Björn', 'François', 'Mohammed', 'Joël', 'Lucas', 'Sem', 'Ruud', 'Kees'];
export const VOORNAMEN_V = ['Anna', 'Zoë', 'Chloé', 'Élodie', 'Fatima', 'Sanne', 'Ilse', 'Renée', 'Joëlle', 'Inès', 'Maaike', 'Noor', 'Ingrid'];

/** [voorvoegsel, geslachtsnaam] */
export const ACHTERNAMEN: readonly (readonly [string, string])[] = [
  ['de', 'Jong'],
  ['van', 'Dijk'],
  ['van der', 'Berg'],
  ['van den', 'Heuvel'],
  ['de', 'Vries'],
  ["'t", 'Hart'],
  ['', 'Bakker'],
  ['', 'Janssen'],
  ['', 'Visser'],
  ['', 'Öztürk'],
  ['', 'Müller'],
  ['', 'Çelik'],
  ['', 'Gonçalves'],
  ['', 'Ørsted'],
  ['', 'Kowalczyk'],
  ['', 'El Amrani'],
  ['', 'Nguyễn'],
  ['', 'Smit-Brouwer'],
];

/** [woonplaats, postcode digits, gemeentecode for aoa.identificatie] */
export const PLAATSEN: readonly (readonly [string, string, string])[] = [
  ['Amsterdam', '1012', '0363'],
  ['Rotterdam', '3011', '0599'],
  ['Utrecht', '3511', '0344'],
  ["'s-Gravenhage", '2511', '0518'],
  ["'s-Hertogenbosch", '5211', '0796'],
  ['Súdwest-Fryslân', '8701', '1900'],
  ['Groningen', '9711', '0014'],
  ['Maastricht', '6211', '0935'],
  ['Zwolle', '8011', '0193'],
  ['Nijmegen', '6511', '0268'],
];

export const STRATEN = [
  'Kerkstraat',
  'Dorpsstraat',
  'Stationsweg',
  'Molenweg',
  'Julianalaan',
  'Prins Hendrikkade',
  'Coolsingel',
  'Oudegracht',
  'Plein 1944',
  'Burgemeester Crèvecœurlaan',
  'Van Heemstraweg',
  'Korte Nieuwstraat',
];

/** [lnd.landcode (BRP tabel 34), lnd.landnaam, adresregel 1, adresregel 2] */
export const BUITENLAND: readonly (readonly [string, string, string, string])[] = [
  ['5010', 'België', 'Rue de la Loi 16', '1000 Bruxelles'],
  ['9089', 'Duitsland', 'Müllerstraße 12', '10115 Berlin'],
  ['5002', 'Frankrijk', 'Rue Général-Leclerc 8', '75014 Paris'],
  ['6039', 'Verenigd Koninkrijk', '221B Baker Street', 'London NW1 6XE'],
  ['5015', 'Denemarken', 'Østergade 3', '1100 København K'],
];

export const BEDRIJFSWOORDEN = ['Bakkerij', 'Installatiebedrijf', 'Zorggroep', 'Café', 'Garage', 'Advocatenkantoor', 'Bloemenhandel', 'Coöperatie', 'Kinderopvang', 'Fietsenmakerij'];
export const BEDRIJFSNAMEN = ['De Zon', 'Het Anker', "'t Hoekje", 'Noorderlicht', 'Van Gogh', 'De Eendracht', 'Oranjeboom', 'Ñandú', 'Den Ouden & Zn.', 'Zeeuws Meisje'];

/**
 * Rechtsvormen as RSGB/NHR labels (what a StUF-BG backend holds in inn.rechtsvorm; the Klanten
 * API enum values are their slugs, see the `values` table in mappings/stuf-bg-0310.yaml).
 */
export const RECHTSVORMEN = [
  'Besloten Vennootschap',
  'Naamloze Vennootschap',
  'Stichting',
  'Vereniging',
  'Vereniging van Eigenaars',
  'Publiekrechtelijke Rechtspersoon',
  'Kerkelijke Organisatie',
  'Onderlinge Waarborg Maatschappij',
  'Vennootschap onder Firma',
  'Commanditaire vennootschap',
  'Maatschap',
];

export const FUNCTIES = ['Directeur', 'Eigenaar', 'Contactpersoon', 'Bewindvoerder', 'Secretaris', 'Office manager', 'Hoofd financiën'];
