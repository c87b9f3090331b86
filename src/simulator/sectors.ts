// What the simulator knows per StUF sector it serves, as data: its namespace, endpoint and WSDL,
// the entities it stores (message prefix, where their element order comes from, what identifies
// an object, which relations are stored with it, what an injected bad answer looks like) and
// selection elements it derives from stored data. The engine, store, question, mutation and fault
// code read this table; nothing else in the simulator names a sector.
//
//   bg   StUF-BG 03.10: NPS, NNP, VES (klanten as subjects, docs/stuf-bg-dialect.md)
//   zkn  StUF-ZKN 03.10: CTP (klanten as contactpersonen of a subject, docs/stuf-zkn-ctp-dialect.md)
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NS } from '../stuf/xml-node.ts';

export const SECTOR_NAMES = ['bg', 'zkn'] as const;
export type SectorName = (typeof SECTOR_NAMES)[number];

export const ENTITY_CODES = ['NPS', 'NNP', 'VES', 'CTP'] as const;
export type EntityCode = (typeof ENTITY_CODES)[number];
/** The StUF-BG entity codes (the subjects themselves). */
export type BgEntityCode = 'NPS' | 'NNP' | 'VES';

export function isEntityCode(s: string): s is EntityCode {
  return (ENTITY_CODES as readonly string[]).includes(s);
}

export interface EntitySpec {
  code: EntityCode;
  /** Message-name prefix: npsLv01, ctpLk01. */
  prefix: string;
  /** XSD file (below schemas/stuf) and complexType giving the element order of an answer object. */
  antwoord: { file: string; type: string };
  /** XSD file and complexType of StUF:scope="kerngegevens". */
  kerngegevens: { file: string; type: string };
  /** Elements that identify an object: a T with a value already stored for one of them is refused. */
  identifying: readonly string[];
  /** Relations stored with the object, as one element replaced as a whole (CTP: isAanspreekpuntNamens). */
  relations: readonly string[];
  /**
   * The answer object the 'garbage' and 'hostile' faults build (fault-responses.ts): `text` is the
   * text element (sector namespace) that carries the attack, `rest` the raw XML after it that
   * completes a readable object (CTP: the relation that gives it its subject type), so the bad
   * part sits where a reader of this sector would look.
   */
  faultSample: { text: string; rest: string };
}

/**
 * A selection element that a stored object does not hold but a question may name: its value is
 * the first of `sources` present. Paths are local names from the object. (CTP: the subject's
 * BSN, RSIN or vestigingsnummer asked as isAanspreekpuntNamens/gerelateerde/bsVesNummerOfId.)
 */
export interface DerivedElement {
  parent: readonly string[];
  ns: string;
  name: string;
  sources: readonly (readonly string[])[];
}

export interface Sector {
  name: SectorName;
  /** For messages and logs: "StUF-BG 03.10". */
  label: string;
  namespace: string;
  defaultPath: string;
  wsdlFile: string;
  /** soap service name in the WSDL. */
  service: string;
  entities: readonly EntitySpec[];
  derived: readonly DerivedElement[];
  /** This sector's namespace in another StUF version: the hostile 'wrong-namespace' fault answers in it. */
  otherVersionNamespace: string;
}

const WSDL_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'wsdl');

const bgEntity = (code: BgEntityCode, identifying: string[], text: string): EntitySpec => ({
  code,
  prefix: code.toLowerCase(),
  antwoord: { file: 'bg0310/vraagAntwoord/bg0310_ent_vraagAntwoord.xsd', type: `${code}-antwoord` },
  kerngegevens: { file: 'bg0310/entiteiten/bg0310_ent_basis.xsd', type: `${code}-kerngegevens` },
  identifying,
  relations: [],
  faultSample: { text, rest: '' },
});

export const SECTORS: Readonly<Record<SectorName, Sector>> = {
  bg: {
    name: 'bg',
    label: 'StUF-BG 03.10',
    namespace: NS.bg,
    defaultPath: '/StUF/bg0310',
    wsdlFile: path.join(WSDL_DIR, 'stuf-bg0310-simulator.wsdl'),
    service: 'StUFBGSimulator',
    entities: [
      bgEntity('NPS', ['inp.bsn', 'anp.identificatie'], 'geslachtsnaam'),
      bgEntity('NNP', ['inn.nnpId', 'ann.identificatie'], 'statutaireNaam'),
      bgEntity('VES', ['vestigingsNummer'], 'handelsnaam'),
    ],
    derived: [],
    otherVersionNamespace: 'http://www.egem.nl/StUF/sector/bg/0204',
  },
  zkn: {
    name: 'zkn',
    label: 'StUF-ZKN 03.10',
    namespace: NS.zkn,
    defaultPath: '/StUF/zkn0310',
    wsdlFile: path.join(WSDL_DIR, 'stuf-zkn0310-simulator.wsdl'),
    service: 'StUFZKNSimulator',
    entities: [
      {
        code: 'CTP',
        prefix: 'ctp',
        antwoord: { file: 'zkn0310/vraagAntwoord/zkn0310_ent_vraagAntwoord.xsd', type: 'CTP-antwoord' },
        kerngegevens: { file: 'zkn0310/entiteiten/zkn0310_ent_basis.xsd', type: 'CTP-kerngegevens' },
        // Several contactpersonen may speak for one subject: only bronorganisatie + klantnummer is unique.
        identifying: [],
        relations: ['isAanspreekpuntNamens'],
        faultSample: {
          text: 'naam',
          rest: '<ZKN:isAanspreekpuntNamens StUF:entiteittype="CTPSUB"><ZKN:gerelateerde><BG:natuurlijkPersoon StUF:entiteittype="NPS"/></ZKN:gerelateerde></ZKN:isAanspreekpuntNamens>',
        },
      },
    ],
    derived: [
      {
        parent: ['isAanspreekpuntNamens', 'gerelateerde'],
        ns: NS.bg,
        name: 'bsVesNummerOfId',
        sources: [
          ['natuurlijkPersoon', 'inp.bsn'],
          ['nietNatuurlijkPersoon', 'inn.nnpId'],
          ['vestiging', 'vestigingsNummer'],
        ],
      },
    ],
    otherVersionNamespace: 'http://www.egem.nl/StUF/sector/zkn/0201',
  },
};

/** The message kinds every entity of a sector endpoint answers. */
export const MESSAGE_KINDS = ['Lv01', 'Lk01', 'Lk02'] as const;

/** Every message element some sector endpoint answers (npsLv01 .. ctpLk02). */
export const MESSAGE_NAMES: readonly string[] = Object.values(SECTORS).flatMap((s) => s.entities.flatMap((e) => MESSAGE_KINDS.map((k) => `${e.prefix}${k}`)));

/** The entity a message of this sector is about, by its prefix; the sector's first for anything else. */
export function entityOfMessage(sector: Sector, element: string): EntitySpec {
  const first = sector.entities[0];
  if (!first) throw new Error(`sector ${sector.name} has no entities`);
  return sector.entities.find((e) => element.startsWith(e.prefix)) ?? first;
}

export function sectorOf(entity: EntityCode): Sector {
  for (const s of Object.values(SECTORS)) if (s.entities.some((e) => e.code === entity)) return s;
  throw new Error(`no sector stores ${entity}`);
}

export function entitySpec(entity: EntityCode): EntitySpec {
  const spec = sectorOf(entity).entities.find((e) => e.code === entity);
  if (!spec) throw new Error(`no spec for ${entity}`);
  return spec;
}

/** Entity codes of one sector. */
export function sectorEntities(sector: Sector): EntityCode[] {
  return sector.entities.map((e) => e.code);
}
