// Haal Centraal `fields` parameter, extended variant ("uitgebreide fields"): a requested name is an
// exact field path, or a trailing part of exactly one field path of the resource's schema.
//
// Rules (Haal-Centraal-common features/fields.feature + BRP bevragen fields(-fout-cases)):
// - comma-separated, order irrelevant, case-sensitive; absent or empty value = every field;
// - each item matches ^[a-zA-Z0-9._]{1,200}$: whitespace is not trimmed ("gescheiden door een komma,
//   zonder spatie"), so `a, b`, `a b` and an empty item (`,a`, `a,`) are errors; at most 130 items;
// - a group path returns the whole group; a dot path selects inside groups; in a collection the
//   names are those of the items (never `results.x`);
// - an item equal to a full path is that field, even if it also ends a deeper path; otherwise it
//   must end exactly one path (whole segments): several → error listing up to 3 candidates;
// - matching is decided against the schema (every field the resource can have), not one object;
// - `url` (the self link) is always returned and may also be asked for explicitly.
//
// Projection (applyFields) is a projection of the full representation; it never invents values:
// - a property absent from the full object stays absent (e.g. `inpBsn` of a niet_natuurlijk_persoon);
// - a selected path whose group is rendered as null (`adres: null`, `subjectIdentificatie: null`)
//   keeps that null: null is this API's rendering of "no value" (the HC features omit such fields
//   because HC never renders them; we keep the representation the client gets without `fields`);
// - an object group in which none of the selected children exists is omitted (HC v2: "persoon
//   zonder 'naam' gegevens");
// - arrays of objects are projected per element; elements left empty are dropped.

export interface FieldsSchema {
  /** Every field path, groups included, in schema order. */
  readonly paths: readonly string[];
  readonly exact: ReadonlySet<string>;
  /** Proper trailing part (whole segments) → the full paths it ends, in schema order. */
  readonly bySuffix: ReadonlyMap<string, readonly string[]>;
  /** Memo of parse results per raw value (same few values repeat on the hot path). */
  readonly memo: Map<string, ParseFieldsResult>;
}

export interface FieldsInvalidParam {
  readonly name: 'fields';
  readonly code: 'fields';
  readonly reason: string;
}

export type ParseFieldsResult =
  | {
      readonly ok: true;
      /** Resolved full paths, deduplicated, in request order; undefined = every field. */
      readonly paths: readonly string[] | undefined;
      /** canonicalFieldsKey(paths), computed once. */
      readonly key: string;
    }
  | { readonly ok: false; readonly invalidParams: readonly FieldsInvalidParam[] };

export const FIELDS_MAX_ITEMS = 130;
export const FIELDS_MAX_ITEM_LENGTH = 200;
const MAX_VALUE_LENGTH = FIELDS_MAX_ITEMS * (FIELDS_MAX_ITEM_LENGTH + 1);
const MEMO_LIMIT = 512;
const MAX_CANDIDATES_SHOWN = 3;
const ALWAYS = 'url';

const isPathChar = (c: number): boolean =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 46 || c === 95;

function isWellFormedItem(item: string): boolean {
  if (item.length === 0 || item.length > FIELDS_MAX_ITEM_LENGTH) return false;
  for (let i = 0; i < item.length; i++) if (!isPathChar(item.charCodeAt(i))) return false;
  return true;
}

/** Builds the matching index once per resource. Missing ancestors of a path are added. */
export function compileFieldsSchema(paths: readonly string[]): FieldsSchema {
  const ordered: string[] = [];
  const exact = new Set<string>();
  const add = (p: string): void => {
    if (!exact.has(p)) {
      exact.add(p);
      ordered.push(p);
    }
  };
  for (const path of paths) {
    const segments = path.split('.');
    // '__proto__' would become a prototype assignment when projecting into a plain object.
    if (!isWellFormedItem(path) || segments.some((s) => s.length === 0 || s === '__proto__')) {
      throw new Error(`invalid field path in schema: ${JSON.stringify(path)}`);
    }
    for (let i = 1; i < segments.length; i++) add(segments.slice(0, i).join('.'));
    add(path);
  }
  const bySuffix = new Map<string, string[]>();
  for (const path of ordered) {
    const segments = path.split('.');
    for (let k = 1; k < segments.length; k++) {
      const suffix = segments.slice(k).join('.');
      const list = bySuffix.get(suffix);
      if (list) list.push(path);
      else bySuffix.set(suffix, [path]);
    }
  }
  return { paths: ordered, exact, bySuffix, memo: new Map() };
}

const invalid = (reason: string): FieldsInvalidParam => ({ name: 'fields', code: 'fields', reason });

function describeCandidates(candidates: readonly string[]): string {
  const shown = candidates.slice(0, MAX_CANDIDATES_SHOWN).join(', ');
  const more = candidates.length - MAX_CANDIDATES_SHOWN;
  return more > 0 ? `${shown} (en ${more} meer)` : shown;
}

function parseUncached(value: string, schema: FieldsSchema): ParseFieldsResult {
  if (value.length > MAX_VALUE_LENGTH) {
    return { ok: false, invalidParams: [invalid(`Parameter bevat meer dan ${FIELDS_MAX_ITEMS} veldnamen.`)] };
  }
  const items = value.split(',');
  if (items.length > FIELDS_MAX_ITEMS) {
    return { ok: false, invalidParams: [invalid(`Parameter bevat meer dan ${FIELDS_MAX_ITEMS} veldnamen.`)] };
  }
  const resolved: string[] = [];
  const seen = new Set<string>();
  const errors: FieldsInvalidParam[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as string;
    // Malformed items are not echoed back (no reflection of arbitrary text).
    if (!isWellFormedItem(item)) {
      errors.push(
        invalid(`Veldnaam ${i + 1} voldoet niet aan patroon ^[a-zA-Z0-9\\._]{1,${FIELDS_MAX_ITEM_LENGTH}}$.`),
      );
      continue;
    }
    let path: string | undefined;
    if (schema.exact.has(item)) {
      path = item;
    } else {
      const candidates = schema.bySuffix.get(item);
      if (candidates === undefined) {
        errors.push(invalid(`Parameter bevat een niet bestaande veldnaam: ${item}.`));
        continue;
      }
      if (candidates.length > 1) {
        errors.push(invalid(`Veldnaam ${item} is niet uniek, bedoeld is een van: ${describeCandidates(candidates)}.`));
        continue;
      }
      path = candidates[0] as string;
    }
    if (!seen.has(path)) {
      seen.add(path);
      resolved.push(path);
    }
  }
  if (errors.length > 0) return { ok: false, invalidParams: Object.freeze(errors) };
  Object.freeze(resolved);
  return { ok: true, paths: resolved, key: canonicalFieldsKey(resolved) };
}

const ALL: ParseFieldsResult = Object.freeze({ ok: true, paths: undefined, key: '' });

/** Parses a raw `fields` query value against a schema. Results are frozen and memoized per schema. */
export function parseFields(value: string | undefined, schema: FieldsSchema): ParseFieldsResult {
  if (value === undefined || value.length === 0) return ALL;
  const memo = schema.memo;
  const hit = memo.get(value);
  if (hit !== undefined) return hit;
  const result = parseUncached(value, schema);
  if (value.length <= 1024) {
    if (memo.size >= MEMO_LIMIT) memo.delete(memo.keys().next().value as string);
    memo.set(value, result);
  }
  return result;
}

// Selection tree: a segment maps to WHOLE (take the value as is) or to a sub-selection.
const WHOLE = true;
type Selection = Map<string, Selection | typeof WHOLE>;

function compileSelection(paths: readonly string[]): Selection {
  const root: Selection = new Map();
  for (const path of paths) {
    const segments = path.split('.');
    let node = root;
    for (let i = 0; i < segments.length; i++) {
      const seg = segments[i] as string;
      const current = node.get(seg);
      if (current === WHOLE) break; // an ancestor group is already selected whole
      if (i === segments.length - 1) {
        node.set(seg, WHOLE);
      } else if (current === undefined) {
        const child: Selection = new Map();
        node.set(seg, child);
        node = child;
      } else {
        node = current;
      }
    }
  }
  return root;
}

const OMIT = Symbol('omit');
type Json = unknown;

function isPlainObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function project(value: Json, selection: Selection): Json | typeof OMIT {
  if (Array.isArray(value)) {
    const out: Json[] = [];
    for (const element of value) {
      const projected = isPlainObject(element) ? projectObject(element, selection) : element;
      if (projected !== OMIT) out.push(projected);
    }
    return out;
  }
  // null, strings, numbers at a group position: the full representation's "no value", kept.
  if (!isPlainObject(value)) return value;
  return projectObject(value, selection);
}

function projectObject(value: Record<string, Json>, selection: Selection): Record<string, Json> | typeof OMIT {
  const out: Record<string, Json> = {};
  let any = false;
  for (const key of Object.keys(value)) {
    const sel = selection.get(key);
    if (sel === undefined) continue;
    const projected = sel === WHOLE ? value[key] : project(value[key], sel);
    if (projected === OMIT) continue;
    out[key] = projected;
    any = true;
  }
  return any ? out : OMIT;
}

function projectTop(obj: Record<string, Json>, selection: Selection): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const key of Object.keys(obj)) {
    const sel = key === ALWAYS ? WHOLE : selection.get(key);
    if (sel === undefined) continue;
    const projected = sel === WHOLE ? obj[key] : project(obj[key], sel);
    if (projected !== OMIT) out[key] = projected;
  }
  return out;
}

/**
 * Returns a new object with only the selected fields (plus `url`), in the original property order.
 * `paths` undefined = every field: the object itself is returned.
 */
export function applyFields<T extends object>(obj: T, paths: readonly string[] | undefined): Partial<T> {
  if (paths === undefined) return obj;
  return projectTop(obj as Record<string, Json>, compileSelection(paths)) as Partial<T>;
}

/** applyFields for every item of a collection page (`results`), compiling the selection once. */
export function applyFieldsToItems<T extends object>(
  items: readonly T[],
  paths: readonly string[] | undefined,
): Partial<T>[] {
  if (paths === undefined) return items.slice();
  const selection = compileSelection(paths);
  return items.map((item) => projectTop(item as Record<string, Json>, selection) as Partial<T>);
}

/**
 * Cache-key form of a selection: sorted, deduplicated, paths inside a selected group dropped and
 * `url` dropped when other paths are present (both change nothing in the output). '' = every field.
 * Expects resolved full paths (parseFields output), so `inpBsn` and its full path share one key.
 */
export function canonicalFieldsKey(paths: readonly string[] | undefined): string {
  if (paths === undefined) return '';
  const unique = new Set(paths);
  const kept: string[] = [];
  for (const path of unique) {
    let covered = false;
    for (let dot = path.indexOf('.'); dot !== -1 && !covered; dot = path.indexOf('.', dot + 1)) {
      covered = unique.has(path.slice(0, dot));
    }
    if (!covered) kept.push(path);
  }
  kept.sort();
  if (kept.length > 1) {
    const at = kept.indexOf(ALWAYS);
    if (at !== -1) kept.splice(at, 1);
  }
  return kept.join(',');
}
