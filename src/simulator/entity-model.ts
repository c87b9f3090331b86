// What the simulator knows about the three entity types it stores (NPS, NNP, VES): the order of
// their elements, which of them exclude each other (xsd:choice) and which are kerngegevens.
// Read once from the official StUF-BG 03.10 schemas instead of transcribed by hand, so a stored
// object is always written back in the order the La01 schema demands.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SCHEMA_DIR } from '../stuf/xsd-validator.ts';
import { NS, type XmlNode } from '../stuf/xml-node.ts';
import { parseXml } from './xml.ts';

export const ENTITY_CODES = ['NPS', 'NNP', 'VES'] as const;
export type EntityCode = (typeof ENTITY_CODES)[number];

export function isEntityCode(s: string): s is EntityCode {
  return (ENTITY_CODES as readonly string[]).includes(s);
}

/** Message-name prefix of an entity: npsLv01, nnpLk01, vesLa01. */
export function messagePrefix(entity: EntityCode): string {
  return entity.toLowerCase();
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
}

const IDENTIFYING: Record<EntityCode, string[]> = {
  NPS: ['inp.bsn', 'anp.identificatie'],
  NNP: ['inn.nnpId', 'ann.identificatie'],
  VES: ['vestigingsNummer'],
};

let models: Map<EntityCode, EntityModel> | undefined;

export function entityModel(code: EntityCode): EntityModel {
  models ??= loadModels(SCHEMA_DIR);
  const m = models.get(code);
  if (!m) throw new Error(`no model for ${code}`);
  return m;
}

function loadModels(schemaDir: string): Map<EntityCode, EntityModel> {
  const antwoord = complexTypes(path.join(schemaDir, 'bg0310/vraagAntwoord/bg0310_ent_vraagAntwoord.xsd'));
  const basis = complexTypes(path.join(schemaDir, 'bg0310/entiteiten/bg0310_ent_basis.xsd'));
  const out = new Map<EntityCode, EntityModel>();
  for (const code of ENTITY_CODES) {
    const slots: Slot[] = [];
    const choices = { next: 0 };
    walkSequence(contentSequence(antwoord, `${code}-antwoord`), slots, undefined, choices);
    const slotOf = new Map<string, number>();
    slots.forEach((s, i) => s.names.forEach((n) => slotOf.set(n, i)));
    const kern: Slot[] = [];
    walkSequence(contentSequence(basis, `${code}-kerngegevens`), kern, undefined, { next: 0 });
    out.set(code, {
      code,
      slots,
      slotOf,
      kerngegevens: new Set(kern.flatMap((s) => s.names)),
      identifying: IDENTIFYING[code],
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
