// Turns a syntactically valid mapping file into the engine's model, checking every reference:
// Klant paths against the OAS shape, element paths against the layout, conversions against the
// Klant value kind. Problems are collected and reported together, each naming its entry.
import { SUBJECT_TYPES, type SubjectType } from '../domain/klant.ts';
import { makeConversion, normaliseCode, xsdPattern, type CodeTable, type ConversionType } from './conversions.ts';
import { klantLeaves } from './klant-shape.ts';
import { STUF_NS, type DialectMapping, type EntityMapping, type FieldMapping, type LayoutNode } from './model.ts';
import type { RawEntity, RawField, RawLayoutNode, RawMappingFile } from './schema.ts';
import type { XmlAttr } from '../stuf/xml-node.ts';

export type Issue = { path: string; message: string };

export function compileMapping(file: string, raw: RawMappingFile): { mapping: DialectMapping; issues: Issue[] } {
  const issues: Issue[] = [];
  const prefixes = new Map<string, string>([['StUF', STUF_NS], ...Object.entries(raw.namespaces ?? {})]);
  const entities: EntityMapping[] = [];
  for (const subjectType of SUBJECT_TYPES) {
    const e = raw.entities[subjectType];
    if (e) entities.push(compileEntity(subjectType, e, raw, prefixes, issues));
  }
  if (entities.length === 0) issues.push({ path: 'entities', message: 'maps no subjectType' });
  return { mapping: { file, dialect: raw.dialect, noValue: raw.noValue ?? 'geenWaarde', entities }, issues };
}

function compileEntity(
  subjectType: SubjectType,
  raw: RawEntity,
  file: RawMappingFile,
  prefixes: Map<string, string>,
  issues: Issue[],
): EntityMapping {
  const at = `entities.${subjectType}`;
  const namespace = raw.namespace ?? file.namespace;
  const root: LayoutNode = { ns: namespace, name: 'object', path: '', parent: null, children: [], extraElementen: false };
  const byPath = new Map<string, LayoutNode>();
  const companions: [LayoutNode, string, string][] = [];
  raw.layout.forEach((n, i) => addLayoutNode(n, root, `${at}.layout[${i}]`, { prefixes, byPath, issues, companions }));
  const extraElementen = root.children.find((c) => c.extraElementen);

  const lookup = (path: string, where: string): LayoutNode | undefined => {
    const node = byPath.get(path);
    if (!node) issues.push({ path: where, message: `no element '${path}' in the layout of ${subjectType}` });
    return node;
  };

  for (const [node, withPath, where] of companions) {
    const other = lookup(withPath, where);
    if (other && node.fixed) node.fixed.with = other;
  }

  const choices: LayoutNode[][] = [];
  (raw.choices ?? []).forEach((members, i) => {
    const nodes = members.map((m, j) => lookup(m, `${at}.choices[${i}][${j}]`)).filter((n) => n !== undefined);
    if (nodes.length !== members.length) return;
    if (new Set(nodes.map((n) => n.parent)).size > 1) {
      issues.push({ path: `${at}.choices[${i}]`, message: 'choice members must be siblings in the layout' });
      return;
    }
    choices.push(nodes);
  });

  const sources: [string, RawField][] = [
    ...(file.fields ?? []).map((f, i): [string, RawField] => [`fields[${i}]`, f]),
    ...(raw.fields ?? []).map((f, i): [string, RawField] => [`${at}.fields[${i}]`, f]),
  ];
  const ctx: FieldContext = { subjectType, lookup, extraElementen, choices, issues, seenKlant: new Map(), seenTarget: new Map() };
  const fields = sources.map(([src, f]) => compileField(src, f, ctx)).filter((f) => f !== undefined);

  const when = raw.when === undefined ? undefined : lookup(raw.when, `${at}.when`);
  return {
    subjectType,
    entiteittype: raw.entiteittype,
    namespace,
    messages: raw.messages,
    sortering: raw.sortering,
    defaultScope: raw.defaultScope ?? 'mapped',
    ...(when ? { when } : {}),
    root,
    choices,
    fields,
  };
}

interface LayoutContext {
  prefixes: Map<string, string>;
  byPath: Map<string, LayoutNode>;
  issues: Issue[];
  /** Fixed nodes with a `with` path, resolved once the whole layout is known. */
  companions: [LayoutNode, string, string][];
}

function addLayoutNode(raw: RawLayoutNode, parent: LayoutNode, where: string, ctx: LayoutContext): void {
  const { byPath, issues } = ctx;
  const written = typeof raw === 'string' ? raw : raw.element;
  const resolved = resolveName(written, parent.ns, ctx.prefixes);
  if (typeof resolved === 'string') {
    issues.push({ path: typeof raw === 'string' ? where : `${where}.element`, message: resolved });
    return;
  }
  const { ns, name } = resolved;
  const path = parent.path ? `${parent.path}/${name}` : name;
  if (byPath.has(path)) {
    issues.push({ path: where, message: `'${path}' appears twice in the layout` });
    return;
  }
  const node: LayoutNode = { ns, name, path, parent, children: [], extraElementen: ns === STUF_NS && name === 'extraElementen' };
  if (node.extraElementen && (typeof raw !== 'string' || parent.parent !== null)) {
    issues.push({ path: where, message: 'StUF:extraElementen is a plain entry directly in the layout' });
    return;
  }
  if (typeof raw !== 'string') {
    if (raw.entiteittype !== undefined) node.entiteittype = raw.entiteittype;
    if (raw.verwerkingssoort !== undefined) node.verwerkingssoort = raw.verwerkingssoort;
    if ((raw.children === undefined) === (raw.fixed === undefined)) {
      issues.push({ path: where, message: 'an object entry needs either children (a group) or fixed (a constant)' });
      return;
    }
    if (raw.fixed !== undefined) {
      const attrs: XmlAttr[] = [];
      for (const [attrName, value] of Object.entries(raw.attributes ?? {})) {
        const a = resolveName(attrName, '', ctx.prefixes);
        if (typeof a === 'string') issues.push({ path: `${where}.attributes`, message: a });
        else attrs.push({ ns: a.ns, name: a.name, value });
      }
      node.fixed = { text: raw.fixed, attrs };
      if (raw.with !== undefined) ctx.companions.push([node, raw.with, `${where}.with`]);
    }
  }
  byPath.set(path, node);
  parent.children.push(node);
  if (typeof raw !== 'string') raw.children?.forEach((c, i) => addLayoutNode(c, node, `${where}.children[${i}]`, ctx));
}

/** `prefix:name` → namespace + local name; unprefixed names take `inherited`. A string is an error. */
function resolveName(written: string, inherited: string, prefixes: Map<string, string>): { ns: string; name: string } | string {
  const colon = written.indexOf(':');
  if (colon < 0) return { ns: inherited, name: written };
  const prefix = written.slice(0, colon);
  const uri = prefixes.get(prefix);
  if (uri === undefined) return `unknown namespace prefix '${prefix}' (declare it in namespaces)`;
  return { ns: uri, name: written.slice(colon + 1) };
}

interface FieldContext {
  subjectType: SubjectType;
  lookup: (path: string, where: string) => LayoutNode | undefined;
  extraElementen: LayoutNode | undefined;
  choices: LayoutNode[][];
  issues: Issue[];
  seenKlant: Map<string, string>;
  seenTarget: Map<string, string>;
}

function compileField(src: string, f: RawField, ctx: FieldContext): FieldMapping | undefined {
  const { issues } = ctx;
  const before = issues.length;
  const leaf = klantLeaves(ctx.subjectType).get(f.klant);
  if (!leaf) {
    issues.push({ path: `${src}.klant`, message: `'${f.klant}' is not a Klant field of ${ctx.subjectType}` });
    return undefined;
  }
  const dup = ctx.seenKlant.get(f.klant);
  if (dup) issues.push({ path: `${src}.klant`, message: `'${f.klant}' is already mapped by ${dup}` });
  ctx.seenKlant.set(f.klant, src);

  if ((f.element === undefined) === (f.extraElement === undefined)) {
    issues.push({ path: src, message: 'needs exactly one of element, extraElement' });
    return undefined;
  }
  const claim = (key: string, where: string, what: string): void => {
    const other = ctx.seenTarget.get(key);
    if (other) issues.push({ path: where, message: `${what} is already used by ${other}` });
    ctx.seenTarget.set(key, src);
  };
  const needsExtra = (where: string): void => {
    if (!ctx.extraElementen) issues.push({ path: where, message: `the layout of ${ctx.subjectType} has no StUF:extraElementen` });
  };

  let target: FieldMapping['target'] | undefined;
  if (f.element !== undefined) {
    const node = ctx.lookup(f.element, `${src}.element`);
    if (node && (node.children.length > 0 || node.extraElementen || node.fixed)) {
      issues.push({ path: `${src}.element`, message: `'${f.element}' is a ${node.fixed ? 'fixed element' : 'group'}, not a value element` });
    } else if (node) {
      target = { kind: 'element', node };
      claim(`element ${node.path}`, `${src}.element`, `element '${node.path}'`);
    }
  } else if (f.extraElement !== undefined) {
    needsExtra(`${src}.extraElement`);
    target = { kind: 'extraElement', naam: f.extraElement };
    claim(`extra ${f.extraElement}`, `${src}.extraElement`, `extraElement '${f.extraElement}'`);
  }
  if (f.fallback !== undefined) {
    needsExtra(`${src}.fallback`);
    if (target?.kind === 'extraElement') issues.push({ path: `${src}.fallback`, message: 'a fallback only applies to element fields' });
    claim(`extra ${f.fallback}`, `${src}.fallback`, `extraElement '${f.fallback}'`);
  }

  const type = conversionType(src, f, leaf.kind, issues);
  let pattern: RegExp | undefined;
  if (f.pattern !== undefined) {
    try {
      pattern = xsdPattern(f.pattern);
    } catch (e) {
      issues.push({ path: `${src}.pattern`, message: `invalid pattern: ${(e as Error).message}` });
    }
  }
  if (f.maxOccurs !== undefined && leaf.kind !== 'strings') {
    issues.push({ path: `${src}.maxOccurs`, message: 'maxOccurs applies to list fields' });
  }
  if ((f.min !== undefined || f.max !== undefined) && type !== 'integer') {
    issues.push({ path: `${src}.${f.min !== undefined ? 'min' : 'max'}`, message: 'min/max apply to integer fields' });
  }

  let gelijk: FieldMapping['gelijk'] = false;
  if (typeof f.gelijk === 'string') {
    gelijk = ctx.lookup(f.gelijk, `${src}.gelijk`) ?? false;
  } else if (f.gelijk === true) {
    gelijk = 'own';
    const rival = target?.kind === 'element' ? displacedBy(target.node, ctx.choices) : undefined;
    if (rival && f.fallback !== undefined) {
      issues.push({
        path: `${src}.gelijk`,
        message: `'${target?.kind === 'element' ? target.node.path : ''}' gives way to '${rival.path}' (choice) and then lives in its fallback, where a backend filter would miss it`,
      });
    }
  }

  if (issues.length > before || !target || !type) return undefined;
  return {
    source: src,
    leaf,
    target,
    conversion: makeConversion(type, { maxLength: f.maxLength, length: f.length, pattern, min: f.min, max: f.max }, codeTable(f)),
    ...(f.fallback !== undefined ? { fallback: f.fallback } : {}),
    ...(f.maxOccurs !== undefined ? { maxOccurs: f.maxOccurs } : {}),
    gelijk,
  };
}

function conversionType(src: string, f: RawField, kind: string, issues: Issue[]): ConversionType | undefined {
  if (f.values !== undefined) {
    if (f.type !== undefined && f.type !== 'string') {
      issues.push({ path: `${src}.values`, message: `values cannot be combined with type ${f.type}` });
      return undefined;
    }
    if (kind === 'integer') {
      issues.push({ path: `${src}.values`, message: 'values apply to text fields' });
      return undefined;
    }
    return 'code';
  }
  const type = f.type ?? (kind === 'integer' ? 'integer' : 'string');
  if ((type === 'integer') !== (kind === 'integer')) {
    issues.push({ path: `${src}.type`, message: `Klant field '${f.klant}' is ${kind === 'integer' ? 'an integer' : 'text'}, type ${type} does not fit` });
    return undefined;
  }
  return type;
}

function codeTable(f: RawField): CodeTable | undefined {
  if (!f.values) return undefined;
  const table: CodeTable = { toKlant: new Map(), toStuf: new Map(), unknown: f.unknownValues ?? 'empty' };
  for (const [stuf, klant] of Object.entries(f.values)) {
    table.toKlant.set(normaliseCode(stuf), klant);
    if (!table.toStuf.has(klant)) table.toStuf.set(klant, stuf);
  }
  return table;
}

/** The choice member that wins over `node` (or over a group containing it), if it can lose one. */
export function displacedBy(node: LayoutNode, choices: LayoutNode[][]): LayoutNode | undefined {
  for (let n: LayoutNode | null = node; n; n = n.parent) {
    for (const members of choices) {
      const i = members.indexOf(n);
      if (i > 0) return members[0];
    }
  }
  return undefined;
}
