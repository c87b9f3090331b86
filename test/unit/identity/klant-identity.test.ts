import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KlantIdentity, MemoryIdIndex } from '../../../src/identity/klant-identity.ts';
import { UUID4_RE } from '../../../src/identity/uuid-bits.ts';
import type { BackendRef } from '../../../src/backend/klanten-backend.ts';

const SECRET = 'test-secret-of-sufficient-length';

const refs: BackendRef[] = [
  { subjectType: 'natuurlijk_persoon', key: '1' },
  { subjectType: 'natuurlijk_persoon', key: '000000001' },
  { subjectType: 'niet_natuurlijk_persoon', key: '123456789012345678901234567' },
  { subjectType: 'vestiging', key: 'VES-000042' },
  { subjectType: 'vestiging', key: '' },
  { subjectType: 'natuurlijk_persoon', key: 'ë-key' },
  { subjectType: 'natuurlijk_persoon', key: 'NPS0000000001' },
  { subjectType: 'vestiging', key: 'VES-0000000000:01' },
  { subjectType: 'niet_natuurlijk_persoon', key: 'aBc_0123456789xZ' },
  { subjectType: 'niet_natuurlijk_persoon', key: '0' },
  { subjectType: 'natuurlijk_persoon', key: 'a-key-that-is-far-too-long-to-pack-into-an-id' },
  { subjectType: 'niet_natuurlijk_persoon', key: '1234567890123456789012345678' },
];

describe('KlantIdentity', () => {
  it.each(refs)('round-trips %o through a UUID4', async (ref) => {
    const ident = new KlantIdentity(SECRET);
    const id = await ident.idFor(ref);
    expect(id).toMatch(UUID4_RE);
    expect(await ident.resolve(id)).toEqual(ref);
  });

  it('is stable across instances (restart, other gateway) for packable keys, without any index', async () => {
    const a = new KlantIdentity(SECRET, new MemoryIdIndex());
    const b = new KlantIdentity(SECRET, new MemoryIdIndex());
    const ref: BackendRef = { subjectType: 'vestiging', key: '000012345678' };
    const id = await a.idFor(ref);
    expect(await b.idFor(ref)).toBe(id);
    expect(await b.resolve(id)).toEqual(ref);
  });

  it('long keys need the shared index: resolvable where it is shared, not where it is lost', async () => {
    const shared = new MemoryIdIndex();
    const ref: BackendRef = { subjectType: 'natuurlijk_persoon', key: 'x'.repeat(40) };
    const id = await new KlantIdentity(SECRET, shared).idFor(ref);
    expect(await new KlantIdentity(SECRET, shared).resolve(id)).toEqual(ref);
    expect(await new KlantIdentity(SECRET, new MemoryIdIndex()).resolve(id)).toBeUndefined();
  });

  it('does not reveal the key and depends on the secret', async () => {
    const ref: BackendRef = { subjectType: 'natuurlijk_persoon', key: '123456782' };
    const id1 = await new KlantIdentity(SECRET).idFor(ref);
    const id2 = await new KlantIdentity(`${SECRET}-other`).idFor(ref);
    expect(id1).not.toBe(id2);
    expect(id1.replaceAll('-', '')).not.toContain('123456782');
    expect(await new KlantIdentity(`${SECRET}-other`).resolve(id1)).not.toEqual(ref);
  });

  it('gives distinct ids to distinct refs', async () => {
    const ident = new KlantIdentity(SECRET);
    const ids = new Set<string>();
    for (let i = 0; i < 2000; i++) ids.add(await ident.idFor({ subjectType: 'natuurlijk_persoon', key: String(i) }));
    ids.add(await ident.idFor({ subjectType: 'vestiging', key: '0' }));
    expect(ids.size).toBe(2001);
  });

  it('rejects random and malformed uuids', async () => {
    const ident = new KlantIdentity(SECRET);
    let resolved = 0;
    for (let i = 0; i < 2000; i++) if (await ident.resolve(randomUUID())) resolved++;
    expect(resolved).toBeLessThanOrEqual(1);
    for (const bad of ['', 'not-a-uuid', '00000000-0000-1000-8000-000000000000', 'A'.repeat(36)]) {
      expect(await ident.resolve(bad)).toBeUndefined();
    }
  });

  it('answers remembered ids exactly as decrypting them does, and hands out copies', async () => {
    const minted = new KlantIdentity(SECRET);
    const ids = await Promise.all(refs.map((r) => minted.idFor(r)));
    for (const [i, id] of ids.entries()) {
      const fresh = new KlantIdentity(SECRET, new MemoryIdIndex());
      const decrypted = await fresh.resolve(id); // undefined for index ids: fresh has no index
      const first = await minted.resolve(id); // remembered by idFor (packable) or from the index
      if (decrypted !== undefined) expect(first).toEqual(decrypted);
      else expect(first).toEqual(refs[i]);
      expect(await fresh.resolve(id)).toEqual(decrypted); // remembered by resolve itself
      if (decrypted === undefined) continue;
      first!.key = 'changed by a caller';
      expect(await minted.resolve(id)).toEqual(decrypted);
    }
  });
});
