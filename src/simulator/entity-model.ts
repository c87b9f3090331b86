// What the simulator knows about the entity types it stores (StUF-BG NPS, NNP, VES; StUF-ZKN CTP):
// the order of their elements, which of them exclude each other (xsd:choice) and which are
// kerngegevens. Read once from the official StUF schemas named in sectors.ts instead of transcribed
// by hand, so a stored object is always written back in the order the La01 schema demands.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SCHEMA_DIR } from '../stuf/xsd-validator.ts';
import { NS, type XmlNode } from '../stuf/xml-node.ts';
import { parseXml } from './xml.ts';

import { ENTITY_CODES, entitySpec, sectorOf, type EntityCode, type Sector } from './sectors.ts';

export { ENTITY_CODES, isEntityCode, type BgEntityCode, type EntityCode } from './sectors.ts';

/** Message-name prefix of an entity: npsLv01, nnpLk01, vesLa01, ctpLk01. */
export function messagePrefix(entity: EntityCode): string {
  return entitySpec(entity).prefix;
}

/**
 * One position in the element sequence of an object. Usually one element name (possibly
 * repeated); a repeating xsd:sequence (VES handelsnaam/handelsnaamVerkort/volgorde) is a single
 * slot holding all its names, because its occurrences interleave.
 */
export interface Slot {
  names: string[];
  /** Set when the slot is one branch of an xsd:choice: other branches of the same choice exclude it. */
  choice?: { id: number; branch: number };
}

export interface EntityModel {
  code: EntityCode;
  sector: Sector;
  slots: Slot[];
  /** Slot index by element local name. */
  slotOf: ReadonlyMap<string, number>;
  /** Element names of `<code>-kerngegevens` (StUF:scope="kerngegevens"). */
  kerngegevens: ReadonlySet<string>;
  /**
   * Elements that identify an object in this backend: a T with a value already stored for one
   * of them is refused. (bronorganisatie + klantnummer is checked across all entities.)
   */
  identifying: readonly string[];
  /** Relations stored with the object (as a whole); any other relation is refused. */
  relations: ReadonlySet<string>;
}

let models: Map<EntityCode, EntityModel> | undefined;

export function entityModel(code: EntityCode): EntityModel {
  models ??= loadModels(SCHEMA_DIR);
  const m = models.get(code);
  if (!m) throw new Error(`no model for ${code}`);
  return m;
}

function loadModels(schemaDir: string): Map<EntityCode, EntityModel> {
  const files = new Map<string, Map<string, XmlNode>>();
  const types = (file: string): Map<string, XmlNode> => {
    let t = files.get(file);
    if (!t) {
      t = complexTypes(path.join(schemaDir, file));
      files.set(file, t);
    }
    return t;
  };
  const out = new Map<EntityCode, EntityModel>();
  for (const code of ENTITY_CODES) {
    const spec = entitySpec(code);
    const slots: Slot[] = [];
    const choices = { next: 0 };
    walkSequence(contentSequence(types(spec.antwoord.file), spec.antwoord.type), slots, undefined, choices);
    const slotOf = new Map<string, number>();
    slots.forEach((s, i) => s.names.forEach((n) => slotOf.set(n, i)));
    const kern: Slot[] = [];
    walkSequence(contentSequence(types(spec.kerngegevens.file), spec.kerngegevens.type), kern, undefined, { next: 0 });
    out.set(code, {
      code,
      sector: sectorOf(code),
      slots,
      slotOf,
      kerngegevens: new Set(kern.flatMap((s) => s.names)),
      identifying: spec.identifying,
      relations: new Set(spec.relations),
    });
  }
  return out;
}

function complexTypes(file: string): Map<string, XmlNode> {
  const root = parseXml(readFileSync(file, 'utf8'));
  const map = new Map<string, XmlNode>();
  for (const c of root.children) {
    if (c.ns === XSD && c.name === 'complexType') {
      const name = c.attrs.find((a) => a.name === 'name')?.value;
      if (name) map.set(name, c);
    }
  }
  return map;
}

const XSD = 'http://www.w3.org/2001/XMLSchema';

function xsdChild(node: XmlNode, name: string): XmlNode | undefined {
  return node.children.find((c) => c.ns === XSD && c.name === name);
}

/** complexType/complexContent/(restriction|extension)/sequence. */
function contentSequence(types: Map<string, XmlNode>, typeName: string): XmlNode {
  const type = types.get(typeName);
  const content = type && xsdChild(type, 'complexContent');
  const derivation = content && (xsdChild(content, 'restriction') ?? xsdChild(content, 'extension'));
  const seq = derivation && xsdChild(derivation, 'sequence');
  if (!seq) throw new Error(`complexType ${typeName} not found or has no sequence`);
  return seq;
}

function attr(node: XmlNode, name: string): string | undefined {
  return node.attrs.find((a) => a.ns === '' && a.name === name)?.value;
}

function elementName(el: XmlNode): string {
  const name = attr(el, 'name') ?? attr(el, 'ref') ?? '';
  return name.slice(name.indexOf(':') + 1);
}

function repeats(node: XmlNode): boolean {
  const max = attr(node, 'maxOccurs');
  return max !== undefined && max !== '1' && max !== '0';
}

function descendantElements(node: XmlNode): string[] {
  return node.children.flatMap((c) => (c.ns !== XSD ? [] : c.name === 'element' ? [elementName(c)] : descendantElements(c)));
}

function walkSequence(seq: XmlNode, slots: Slot[], choice: Slot['choice'], choices: { next: number }): void {
  for (const c of seq.children) {
    if (c.ns !== XSD) continue;
    if (c.name === 'element') slots.push(withChoice({ names: [elementName(c)] }, choice));
    else if (c.name === 'sequence') {
      if (repeats(c)) slots.push(withChoice({ names: descendantElements(c) }, choice));
      else walkSequence(c, slots, choice, choices);
    } else if (c.name === 'choice') {
      const id = choices.next++;
      let branch = 0;
      for (const b of c.children) {
        if (b.ns !== XSD) continue;
        const inner = { id, branch: branch++ };
        if (b.name === 'element') slots.push({ names: [elementName(b)], choice: inner });
        else if (b.name === 'sequence') walkSequence(b, slots, inner, choices);
      }
    }
  }
}

function withChoice(slot: Slot, choice: Slot['choice']): Slot {
  return choice ? { ...slot, choice } : slot;
}

/** True for the StUF-namespace elements inside an object (extraElementen, tijdvakGeldigheid, ...). */
export function isStufElement(node: XmlNode): boolean {
  return node.ns === NS.stuf;
}
