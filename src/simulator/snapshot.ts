// Optional file snapshot of the store: JSON with every object as the XML of its BG:object
// element (readable, and exactly what the simulator answers). Written atomically (temp file +
// rename), so a crash mid-write never leaves a half file behind.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { attrValue, NS } from '../stuf/xml-node.ts';
import { isEntityCode } from './entity-model.ts';
import type { StoredObject, StoreSnapshot } from './store.ts';
import { objectXml } from './stuf-messages.ts';
import { parseXml } from './xml.ts';

interface SnapshotFile {
  format: 'klantbrug-stuf-simulator/1';
  seq: StoreSnapshot['seq'];
  objects: string[];
}

export function readSnapshot(file: string): StoreSnapshot | undefined {
  if (!existsSync(file)) return undefined;
  const data = JSON.parse(readFileSync(file, 'utf8')) as SnapshotFile;
  if (data.format !== 'klantbrug-stuf-simulator/1') throw new Error(`${file}: unknown snapshot format`);
  const objects = data.objects.map((xml): StoredObject => {
    const el = parseXml(xml);
    const entity = attrValue(el, 'entiteittype', NS.stuf) ?? '';
    const key = attrValue(el, 'sleutelVerzendend', NS.stuf);
    if (!isEntityCode(entity) || !key) throw new Error(`${file}: object without entiteittype or key`);
    return { entity, key, children: el.children };
  });
  return { seq: data.seq, objects };
}

export function writeSnapshot(file: string, snap: StoreSnapshot): void {
  const data: SnapshotFile = {
    format: 'klantbrug-stuf-simulator/1',
    seq: snap.seq,
    objects: snap.objects.map((o) => objectXml(o.entity, o.key, o.children, true)),
  };
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(data, null, 1)}\n`);
  renameSync(tmp, file);
}
