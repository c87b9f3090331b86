// The Klant side of the mapping, fixed by the Klanten API 1.0.0 OAS (not by a dialect): which
// leaf paths exist per subjectType, what kind of value each holds, and how KlantData is built
// from leaf values (OAS property order; empty groups rendered as null).
import type { KlantData, SubjectType } from '../domain/klant.ts';

export type LeafKind = 'string' | 'integer' | 'strings';
export type LeafValue = string | number | null | string[];

export interface KlantLeaf {
  /** Dotted Klant JSON path, e.g. `subjectIdentificatie.verblijfsadres.aoaHuisnummer`. */
  path: string;
  kind: LeafKind;
}

interface GroupShape {
  kind: 'group';
  /** Rendered as null when every leaf inside is empty. */
  nullable: boolean;
  props: [string, Shape][];
}
type Shape = GroupShape | { kind: LeafKind } | { kind: 'subjectType' };

const str = { kind: 'string' } as const;
const int = { kind: 'integer' } as const;
const strs = { kind: 'strings' } as const;
const group = (nullable: boolean, props: [string, Shape][]): GroupShape => ({ kind: 'group', nullable, props });

const ADRES = group(true, [
  ['straatnaam', str],
  ['huisnummer', int],
  ['huisletter', str],
  ['huisnummertoevoeging', str],
  ['postcode', str],
  ['woonplaatsnaam', str],
  ['landcode', str],
]);

const VERBLIJFSADRES = group(true, [
  ['aoaIdentificatie', str],
  ['wplWoonplaatsNaam', str],
  ['gorOpenbareRuimteNaam', str],
  ['aoaPostcode', str],
  ['aoaHuisnummer', int],
  ['aoaHuisletter', str],
  ['aoaHuisnummertoevoeging', str],
  ['inpLocatiebeschrijving', str],
]);

const VERBLIJF_BUITENLAND = group(true, [
  ['lndLandcode', str],
  ['lndLandnaam', str],
  ['subAdresBuitenland1', str],
  ['subAdresBuitenland2', str],
  ['subAdresBuitenland3', str],
]);

// subjectIdentificatie is null when the subject group is empty (reference behaviour).
const SUBJECT: Record<SubjectType, GroupShape> = {
  natuurlijk_persoon: group(true, [
    ['inpBsn', str],
    ['anpIdentificatie', str],
    ['inpANummer', str],
    ['geslachtsnaam', str],
    ['voorvoegselGeslachtsnaam', str],
    ['voorletters', str],
    ['voornamen', str],
    ['geslachtsaanduiding', str],
    ['geboortedatum', str],
    ['verblijfsadres', VERBLIJFSADRES],
    ['subVerblijfBuitenland', VERBLIJF_BUITENLAND],
  ]),
  niet_natuurlijk_persoon: group(true, [
    ['innNnpId', str],
    ['annIdentificatie', str],
    ['statutaireNaam', str],
    ['innRechtsvorm', str],
    ['bezoekadres', str],
    ['subVerblijfBuitenland', VERBLIJF_BUITENLAND],
  ]),
  vestiging: group(true, [
    ['vestigingsNummer', str],
    ['handelsnaam', strs],
    ['verblijfsadres', VERBLIJFSADRES],
    ['subVerblijfBuitenland', VERBLIJF_BUITENLAND],
  ]),
};

function klantShape(subjectType: SubjectType): GroupShape {
  return group(false, [
    ['bronorganisatie', str],
    ['klantnummer', str],
    ['bedrijfsnaam', str],
    ['functie', str],
    ['websiteUrl', str],
    ['voornaam', str],
    ['voorvoegselAchternaam', str],
    ['achternaam', str],
    ['telefoonnummer', str],
    ['emailadres', str],
    ['adres', ADRES],
    ['subject', str],
    ['subjectType', { kind: 'subjectType' }],
    ['subjectIdentificatie', SUBJECT[subjectType]],
  ]);
}

const SHAPES = new Map<SubjectType, GroupShape>();
const LEAVES = new Map<SubjectType, Map<string, KlantLeaf>>();

function shapeOf(subjectType: SubjectType): GroupShape {
  let s = SHAPES.get(subjectType);
  if (!s) {
    s = klantShape(subjectType);
    SHAPES.set(subjectType, s);
  }
  return s;
}

/** Every mappable leaf of a Klant of this subjectType, by path, in OAS order. */
export function klantLeaves(subjectType: SubjectType): Map<string, KlantLeaf> {
  let leaves = LEAVES.get(subjectType);
  if (!leaves) {
    leaves = new Map();
    collectLeaves(shapeOf(subjectType), '', leaves);
    LEAVES.set(subjectType, leaves);
  }
  return leaves;
}

function collectLeaves(shape: GroupShape, prefix: string, out: Map<string, KlantLeaf>): void {
  for (const [name, s] of shape.props) {
    const path = prefix + name;
    if (s.kind === 'group') collectLeaves(s, `${path}.`, out);
    else if (s.kind !== 'subjectType') out.set(path, { path, kind: s.kind });
  }
}

export function emptyValue(kind: LeafKind): LeafValue {
  if (kind === 'integer') return null;
  if (kind === 'strings') return [];
  return '';
}

export function isEmptyValue(v: LeafValue | undefined): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

/** KlantData with every field present in OAS order; unmapped leaves get their empty value. */
export function buildKlant(subjectType: SubjectType, values: ReadonlyMap<string, LeafValue>): KlantData {
  return buildGroup(shapeOf(subjectType), '', values, subjectType) as unknown as KlantData;
}

function buildGroup(
  shape: GroupShape,
  prefix: string,
  values: ReadonlyMap<string, LeafValue>,
  subjectType: SubjectType,
): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  let anyValue = false;
  for (const [name, s] of shape.props) {
    const path = prefix + name;
    if (s.kind === 'subjectType') {
      out[name] = subjectType;
    } else if (s.kind === 'group') {
      const g = buildGroup(s, `${path}.`, values, subjectType);
      if (g !== null) anyValue = true;
      out[name] = g;
    } else {
      const v = values.get(path) ?? emptyValue(s.kind);
      if (!isEmptyValue(v)) anyValue = true;
      out[name] = v;
    }
  }
  return shape.nullable && !anyValue ? null : out;
}

/** The value at a leaf path of (possibly foreign-shaped) KlantData; missing or null parents give the empty value. */
export function leafValue(data: KlantData, path: string, kind: LeafKind): LeafValue {
  let cur: unknown = data;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return emptyValue(kind);
    cur = (cur as Record<string, unknown>)[part];
  }
  if (cur === undefined || cur === null) return emptyValue(kind);
  if (kind === 'strings') return Array.isArray(cur) ? cur.map((x) => String(x)) : [String(cur)];
  if (kind === 'integer') return typeof cur === 'number' ? cur : Number.isFinite(Number(cur)) && cur !== '' ? Number(cur) : null;
  return typeof cur === 'string' ? cur : String(cur);
}

/** A filterable leaf path as the string it compares with (OAS filters are string equality). */
export function leafAsText(data: KlantData, path: string): string {
  let cur: unknown = data;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return '';
    cur = (cur as Record<string, unknown>)[part];
  }
  if (cur === undefined || cur === null) return '';
  return typeof cur === 'string' ? cur : String(cur);
}
