// Deterministic demo klanten as StUF-BG objects, laid out as docs/stuf-bg-dialect.md describes
// (the klant's own data in StUF:extraElementen, contact data in sub.*, subject data in the
// entity's own elements). The same seed always gives the same objects and keys.
//
// The first objects of each entity are fixed edge cases (whatever the seed): maximum lengths,
// noValue, no adres, verblijf buitenland, anp.identificatie instead of BSN, partial dates,
// several handelsnamen. The rest are random but plausible, spread over four bronorganisaties.
import { attr, el, NS, textEl, type XmlNode } from '../../stuf/xml-node.ts';
import { entityModel } from '../entity-model.ts';
import type { BgEntityCode } from '../sectors.ts';
import { ctpFromBg } from './ctp-demo.ts';
import { merge } from '../mutation.ts';
import { emptySeq, formatKey, type StoreSnapshot, type StoredObject } from '../store.ts';
import { elfproefNummer } from './elfproef.ts';
import { digits, intBetween, pick, seededRandom, type Random } from './prng.ts';
import * as V from './values.ts';

export interface DemoOptions {
  seed: number;
  /** Total number of klanten (at least 250 by default), split 5:2:2 over NPS, NNP and VES. */
  count: number;
  /** Number of contactpersonen (CTP, StUF-ZKN endpoint), split evenly over the subject types (default 36). */
  ctpCount?: number;
}

export const DEFAULT_DEMO_COUNT = 270;
export const DEFAULT_CTP_DEMO_COUNT = 36;
/** Every this many contactpersonen of a subject type, one says only what kind of subject it speaks for. */
const CTP_WITHOUT_SUBJECT_EVERY = 5;

type NoValue = 'geenWaarde' | 'waardeOnbekend' | 'vastgesteldOnbekend' | 'nietOndersteund';

const bg = (name: string, text: string, attrs: ReturnType<typeof attr>[] = []): XmlNode => textEl(NS.bg, name, text, attrs);
const nilAttrs = (nv: NoValue): ReturnType<typeof attr>[] => [attr(NS.xsi, 'nil', 'true'), attr(NS.stuf, 'noValue', nv)];
const nil = (name: string, nv: NoValue): XmlNode => el(NS.bg, name, [], nilAttrs(nv));
const group = (name: string, children: XmlNode[]): XmlNode => el(NS.bg, name, children);

/** Exactly n characters (BMP only), repeating the pattern: for maximum-length edge cases. */
function fit(pattern: string, n: number): string {
  let s = pattern;
  while (s.length < n) s += ` ${pattern}`;
  return s.slice(0, n).replace(/ $/, 'x');
}

class Extras {
  private readonly items: XmlNode[] = [];
  set(naam: string, value: string | NoValue | undefined, noValue = false): this {
    if (value === undefined || value === '') return this;
    this.items.push(
      noValue ? el(NS.stuf, 'extraElement', [], [attr('', 'naam', naam), ...nilAttrs(value as NoValue)]) : textEl(NS.stuf, 'extraElement', value, [attr('', 'naam', naam)]),
    );
    return this;
  }
  node(): XmlNode | undefined {
    return this.items.length > 0 ? el(NS.stuf, 'extraElementen', this.items) : undefined;
  }
}

interface Adres {
  straat: string;
  huisnummer: number;
  huisletter: string;
  toevoeging: string;
  postcode: string;
  plaats: string;
  gemeente: string;
}

function randomAdres(r: Random): Adres {
  const [plaats, pc, gemeente] = pick(r, V.PLAATSEN);
  return {
    straat: pick(r, V.STRATEN),
    huisnummer: intBetween(r, 1, 250),
    huisletter: r() < 0.15 ? pick(r, ['A', 'B', 'c']) : '',
    toevoeging: r() < 0.15 ? pick(r, ['1', '2hg', 'bis', 'III']) : '',
    postcode: `${pc}${String.fromCharCode(65 + intBetween(r, 0, 25))}${String.fromCharCode(65 + intBetween(r, 0, 25))}`,
    plaats,
    gemeente,
  };
}

function verblijfsadres(a: Adres, r: Random, name = 'verblijfsadres', withLocatie = false): XmlNode {
  const children = [
    bg('aoa.identificatie', `${a.gemeente}200000${digits(r, 6)}`),
    bg('wpl.woonplaatsNaam', a.plaats),
    bg('gor.openbareRuimteNaam', a.straat),
    bg('aoa.postcode', a.postcode),
    bg('aoa.huisnummer', String(a.huisnummer)),
  ];
  if (a.huisletter) children.push(bg('aoa.huisletter', a.huisletter));
  if (a.toevoeging) children.push(bg('aoa.huisnummertoevoeging', a.toevoeging));
  if (withLocatie) children.push(bg('inp.locatiebeschrijving', 'Woonboot bij de brug'));
  return group(name, children);
}

function buitenland(r: Random, long = false): XmlNode {
  const [code, naam, regel1, regel2] = pick(r, V.BUITENLAND);
  return group('sub.verblijfBuitenland', [
    bg('lnd.landcode', code),
    bg('lnd.landnaam', long ? fit('Verenigd Koninkrijk van Groot-Brittannië', 40) : naam),
    bg('sub.adresBuitenland1', long ? fit(regel1, 35) : regel1),
    bg('sub.adresBuitenland2', regel2),
    ...(long ? [bg('sub.adresBuitenland3', fit('Ünïté Çôté Øst', 35))] : []),
  ]);
}

function contactAdres(e: Extras, a: Adres, landcode = '6030'): void {
  e.set('adres.straatnaam', a.straat)
    .set('adres.huisnummer', String(a.huisnummer))
    .set('adres.huisletter', a.huisletter)
    .set('adres.huisnummertoevoeging', a.toevoeging)
    .set('adres.postcode', a.postcode)
    .set('adres.woonplaatsnaam', a.plaats)
    .set('adres.landcode', landcode);
}

function email(local: string, domain: string): string {
  return `${local}@${domain}`
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9@.-]/g, '');
}

/** A syntactically valid e-mail address of exactly 254 characters (sub.emailadres maximum). */
const LONGEST_EMAIL = `${'l'.repeat(64)}@${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(58)}.nl`;
/** A URL of exactly 200 characters (sub.url maximum). */
const LONGEST_URL = `https://www.${'lange-naam-'.repeat(8).slice(0, 80)}.example.nl/${'pad/'.repeat(30)}`.slice(0, 200);

interface Counters {
  klantnummer: Map<string, number>;
  bsn: Set<string>;
  rsin: Set<string>;
}

function klantnummer(c: Counters, bron: string): string {
  const n = (c.klantnummer.get(bron) ?? 0) + 1;
  c.klantnummer.set(bron, n);
  // Each bronorganisatie numbers its klanten its own way (all at most 8 characters).
  switch (V.BRONORGANISATIES.indexOf(bron as (typeof V.BRONORGANISATIES)[number])) {
    case 0:
      return String(10_000_000 + n);
    case 1:
      return `K${String(n).padStart(7, '0')}`;
    case 2:
      return `KL-${String(n).padStart(5, '0')}`;
    default:
      return String(n);
  }
}

function uniqueNummer(r: Random, used: Set<string>): string {
  for (;;) {
    const n = elfproefNummer(r);
    if (!used.has(n)) {
      used.add(n);
      return n;
    }
  }
}

function nps(i: number, r: Random, c: Counters): XmlNode[] {
  const geslacht = pick(r, ['M', 'V', 'V', 'M', 'O']);
  const voornamen = [pick(r, geslacht === 'M' ? V.VOORNAMEN_M : V.VOORNAMEN_V), pick(r, [...V.VOORNAMEN_M, ...V.VOORNAMEN_V])];
  let [voorvoegsel, geslachtsnaam] = pick(r, V.ACHTERNAMEN);
  let voornamenText = r() < 0.5 ? voornamen.join(' ') : voornamen[0] ?? 'Jan';
  let voorletters = voornamenText
    .split(' ')
    .map((v) => `${v[0]}.`)
    .join('');
  const bron = pick(r, V.BRONORGANISATIES);
  const out: XmlNode[] = [];
  const e = new Extras();
  e.set('bronorganisatie', bron).set('klantnummer', klantnummer(c, bron));

  const edge = i; // the first objects are fixed edge cases
  if (edge === 0) {
    geslachtsnaam = fit('Van Oranje-Nassau-Ørsted-Çelik-Müller-Gonçalves', 200);
    voornamenText = fit('Marie-Élodie Zoë Françoise', 200);
    voorletters = fit('M.É.Z.F.', 20);
    voorvoegsel = fit('van der', 10);
  }
  if (edge === 1) out.push(bg('anp.identificatie', `1${digits(r, 16)}`));
  else out.push(bg('inp.bsn', uniqueNummer(r, c.bsn)));
  if (edge === 2 || r() < 0.3) out.push(bg('inp.a-nummer', `${intBetween(r, 1, 9)}${digits(r, 9)}`));
  out.push(bg('geslachtsnaam', geslachtsnaam ?? 'Bakker'));
  if (edge === 2) out.push(nil('voorvoegselGeslachtsnaam', 'geenWaarde'));
  else if (voorvoegsel) out.push(bg('voorvoegselGeslachtsnaam', voorvoegsel));
  out.push(bg('voorletters', voorletters), bg('voornamen', voornamenText), bg('geslachtsaanduiding', geslacht));
  const jaar = intBetween(r, 1930, 2006);
  if (edge === 3) out.push(bg('geboortedatum', `${jaar}0000`, [attr(NS.stuf, 'indOnvolledigeDatum', 'M')]));
  else if (edge === 4) out.push(bg('geboortedatum', `${jaar}0500`, [attr(NS.stuf, 'indOnvolledigeDatum', 'D')]));
  else if (edge === 2) out.push(nil('geboortedatum', 'waardeOnbekend'));
  else out.push(bg('geboortedatum', `${jaar}${String(intBetween(r, 1, 12)).padStart(2, '0')}${String(intBetween(r, 1, 28)).padStart(2, '0')}`));

  const adres = randomAdres(r);
  if (edge === 5 || (edge > 9 && r() < 0.06)) out.push(buitenland(r, edge === 5));
  else if (edge !== 6 && !(edge > 9 && r() < 0.08)) out.push(verblijfsadres(adres, r, 'verblijfsadres', edge === 7));

  if (edge === 2) out.push(nil('sub.telefoonnummer', 'geenWaarde'), nil('sub.emailadres', 'waardeOnbekend'));
  else {
    if (edge === 0) out.push(bg('sub.telefoonnummer', '+31 (0)20 123 456 78'));
    else if (r() < 0.8) out.push(bg('sub.telefoonnummer', r() < 0.5 ? `06${digits(r, 8)}` : `0${intBetween(r, 10, 79)}-${digits(r, 7)}`));
    if (edge === 0) out.push(bg('sub.emailadres', LONGEST_EMAIL));
    else if (r() < 0.7) out.push(bg('sub.emailadres', email(`${voornamen[0]}.${geslachtsnaam}`, 'example.nl')));
  }
  if (edge === 0) out.push(bg('sub.url', LONGEST_URL));

  e.set('voornaam', edge === 0 ? fit('Marie-Élodie', 200) : voornamen[0])
    .set('voorvoegselAchternaam', edge === 2 ? undefined : voorvoegsel)
    .set('achternaam', edge === 0 ? fit('Ørsted-Çelik-Müller', 200) : geslachtsnaam);
  if (edge === 2) e.set('functie', 'geenWaarde', true);
  else if (r() < 0.1) e.set('functie', pick(r, V.FUNCTIES));
  if (edge === 8 || r() < 0.1) e.set('subject', `https://brp.example.nl/haalcentraal/api/brp/ingeschrevenpersonen/${digits(r, 9)}`);
  // The klant's own contact address: most klanten gave one, some did not (edge 6: none at all).
  if (edge === 5) contactAdres(e, { ...adres, straat: 'Rue de la Loi', huisnummer: 16, postcode: '1000', plaats: 'Bruxelles' }, '5010');
  else if (edge === 0) contactAdres(e, { ...adres, straat: fit('Burgemeester Crèvecœurlaan', 100), plaats: fit('Súdwest-Fryslân', 80) });
  else if (edge !== 6 && edge !== 2 && r() < 0.75) contactAdres(e, adres);
  const extra = e.node();
  if (extra) out.push(extra);
  return out;
}

function nnp(i: number, r: Random, c: Counters): XmlNode[] {
  const bron = pick(r, V.BRONORGANISATIES);
  const out: XmlNode[] = [];
  const e = new Extras();
  e.set('bronorganisatie', bron).set('klantnummer', klantnummer(c, bron));
  const rechtsvorm = pick(r, V.RECHTSVORMEN);
  const naam =
    i === 0
      ? fit('Coöperatieve Vereniging Zorg en Welzijn Súdwest-Fryslân Ëlkenien U.A.', 500)
      : `${rechtsvorm === 'Stichting' ? 'Stichting ' : ''}${pick(r, V.BEDRIJFSWOORDEN)} ${pick(r, V.BEDRIJFSNAMEN)}${rechtsvorm === 'Besloten Vennootschap' ? ' B.V.' : ''}`;
  if (i === 1) out.push(bg('ann.identificatie', `2${digits(r, 16)}`));
  else out.push(bg('inn.nnpId', uniqueNummer(r, c.rsin)));
  out.push(bg('statutaireNaam', naam));
  if (i === 2) out.push(nil('inn.rechtsvorm', 'waardeOnbekend'));
  else out.push(bg('inn.rechtsvorm', rechtsvorm));
  const adres = randomAdres(r);
  if (i === 3 || (i > 5 && r() < 0.08)) out.push(buitenland(r));
  if (i === 2) out.push(nil('sub.telefoonnummer', 'geenWaarde'));
  else if (r() < 0.85) out.push(bg('sub.telefoonnummer', `0${intBetween(r, 10, 79)}-${digits(r, 7)}`));
  if (r() < 0.8 || i === 0) out.push(bg('sub.emailadres', email(`info`, `${naam.split(' ')[1] ?? 'bedrijf'}.example.nl`)));
  if (i === 0 || r() < 0.5) out.push(bg('sub.url', i === 0 ? LONGEST_URL : `https://www.${email('', naam.split(' ')[1] ?? 'bedrijf').slice(1)}.example.nl/`));
  e.set('bedrijfsnaam', i === 0 ? fit('Coöperatieve Vereniging Zorg en Welzijn', 200) : naam.slice(0, 200));
  if (i === 0) e.set('bezoekadres', fit('Burgemeester Crèvecœurlaan 1, 8701 AB Súdwest-Fryslân', 1000));
  else if (i !== 4 && r() < 0.7) e.set('bezoekadres', `${adres.straat} ${adres.huisnummer}${adres.huisletter}, ${adres.postcode} ${adres.plaats}`);
  const contact = r() < 0.5;
  if (contact) {
    const [vv, an] = pick(r, V.ACHTERNAMEN);
    e.set('voornaam', pick(r, [...V.VOORNAMEN_M, ...V.VOORNAMEN_V])).set('voorvoegselAchternaam', vv).set('achternaam', an).set('functie', pick(r, V.FUNCTIES));
  }
  if (i !== 4 && r() < 0.7) contactAdres(e, adres);
  const extra = e.node();
  if (extra) out.push(extra);
  return out;
}

function ves(i: number, r: Random, c: Counters): XmlNode[] {
  const bron = pick(r, V.BRONORGANISATIES);
  const out: XmlNode[] = [];
  const e = new Extras();
  e.set('bronorganisatie', bron).set('klantnummer', klantnummer(c, bron));
  out.push(bg('vestigingsNummer', `0000${String(10_000_000 + i * 7919 + intBetween(r, 0, 7000)).slice(-8)}`));
  const namen = i === 0 ? 3 : i === 1 ? 2 : r() < 0.25 ? intBetween(r, 2, 3) : 1;
  for (let k = 0; k < namen; k++) {
    out.push(bg('handelsnaam', i === 0 ? fit(`Handelsnaam ${k + 1} Bakkerij Ëlkenien & Çafé Øresund`, 200) : `${pick(r, V.BEDRIJFSWOORDEN)} ${pick(r, V.BEDRIJFSNAMEN)}`));
  }
  const adres = randomAdres(r);
  if (i === 2 || (i > 5 && r() < 0.06)) out.push(buitenland(r));
  else if (i !== 3) out.push(verblijfsadres(adres, r));
  if (r() < 0.85) out.push(bg('sub.telefoonnummer', `0${intBetween(r, 10, 79)}-${digits(r, 7)}`));
  if (i === 4) out.push(nil('sub.emailadres', 'geenWaarde'));
  else if (r() < 0.6) out.push(bg('sub.emailadres', email('contact', 'vestiging.example.nl')));
  e.set('bedrijfsnaam', i === 0 ? fit('Bakkerij Ëlkenien', 200) : undefined);
  if (i !== 3 && r() < 0.6) contactAdres(e, adres);
  const extra = e.node();
  if (extra) out.push(extra);
  return out;
}

const BUILDERS: Record<BgEntityCode, (i: number, r: Random, c: Counters) => XmlNode[]> = { NPS: nps, NNP: nnp, VES: ves };

/** The demo content of a fresh store: objects (in key order) and the key sequence numbers. */
export function demoSnapshot(opts: DemoOptions): StoreSnapshot {
  const r = seededRandom(opts.seed);
  const total = Math.max(3, opts.count);
  const nnpCount = Math.round((total * 2) / 9);
  const vesCount = Math.round((total * 2) / 9);
  const counts: Record<BgEntityCode, number> = { NPS: total - nnpCount - vesCount, NNP: nnpCount, VES: vesCount };
  const c: Counters = { klantnummer: new Map(), bsn: new Set(), rsin: new Set() };
  const objects: StoredObject[] = [];
  for (const entity of ['NPS', 'NNP', 'VES'] as const) {
    const model = entityModel(entity);
    for (let i = 0; i < counts[entity]; i++) {
      objects.push({ entity, key: formatKey(entity, i + 1), children: merge(model, [], BUILDERS[entity](i, r, c)) });
    }
  }
  const ctp = ctpDemo(opts.seed, opts.ctpCount ?? DEFAULT_CTP_DEMO_COUNT);
  return { seq: { ...emptySeq(), ...counts, CTP: ctp.length }, objects: [...objects, ...ctp] };
}

/**
 * Contactpersonen of the StUF-ZKN registration, a separate system with its own klantnummers: demo
 * klanten of each subject type (edge cases first, as for StUF-BG) laid out as CTP. Drawn from
 * their own random stream, so the StUF-BG demo content does not depend on them.
 */
function ctpDemo(seed: number, count: number): StoredObject[] {
  const r = seededRandom(seed ^ 0x0c7b);
  const c: Counters = { klantnummer: new Map(), bsn: new Set(), rsin: new Set() };
  const model = entityModel('CTP');
  const codes: BgEntityCode[] = ['NPS', 'NNP', 'VES'];
  const out: StoredObject[] = [];
  for (let n = 0; n < count; n++) {
    const code = codes[n % 3] as BgEntityCode;
    const i = Math.floor(n / 3);
    const bgChildren = merge(entityModel(code), [], BUILDERS[code](i, r, c));
    const withSubject = i % CTP_WITHOUT_SUBJECT_EVERY !== CTP_WITHOUT_SUBJECT_EVERY - 1;
    out.push({ entity: 'CTP', key: formatKey('CTP', n + 1), children: merge(model, [], ctpFromBg(code, bgChildren, withSubject)) });
  }
  return out;
}
