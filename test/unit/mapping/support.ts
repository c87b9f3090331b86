// Shared setup for the mapping tests: the real default mapping and the real XSD validator.
import path from 'node:path';
import { expect } from 'vitest';
import { KlantMapper, loadMapping } from '../../../src/mapping/index.ts';
import { StufXsdValidator } from '../../../src/stuf/xsd-validator.ts';
import { child, type XmlNode } from '../../../src/stuf/xml-node.ts';

export const MAPPING_FILE = path.resolve(import.meta.dirname, '../../../mappings/stuf-bg-0310.yaml');

let mapper: KlantMapper | undefined;
export function bgMapper(): KlantMapper {
  mapper ??= new KlantMapper(loadMapping(MAPPING_FILE));
  return mapper;
}

let validator: StufXsdValidator | undefined;
export function xsd(): StufXsdValidator {
  validator ??= new StufXsdValidator();
  return validator;
}

export function expectXsdValid(xml: string): void {
  const r = xsd().validate(xml);
  expect(r.errors, xml).toEqual([]);
  expect(r.valid).toBe(true);
}

/** Same content and the same property order (the OAS rendering order) at every level. */
export function expectSameKlant(actual: unknown, expected: unknown): void {
  expect(actual).toEqual(expected);
  expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
}

/** The answer objects of a parsed La01. */
export function answerObjects(la01: XmlNode): XmlNode[] {
  return child(la01, 'antwoord')?.children ?? [];
}

/** The element at a `/` path below an object (first match per step). */
export function at(node: XmlNode, elementPath: string): XmlNode | undefined {
  let cur: XmlNode | undefined = node;
  for (const step of elementPath.split('/')) cur = child(cur, step);
  return cur;
}

export function extra(object: XmlNode, naam: string): XmlNode[] {
  return (child(object, 'extraElementen')?.children ?? []).filter((x) => x.attrs.some((a) => a.name === 'naam' && a.value === naam));
}
