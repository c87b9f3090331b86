import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AuditTrail, FileAuditStore, MemoryAuditStore } from '../../../src/audit/index.ts';
import { auditEntry, KLANT_A, KLANT_B } from './fixtures.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'kb-audit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = () => path.join(dir, `audit-${n++}.jsonl`);

describe('FileAuditStore', () => {
  it('lists a klant’s entries oldest first and reads one by uuid', async () => {
    const trail = new AuditTrail(await FileAuditStore.open(file()));
    await trail.record(auditEntry(KLANT_A, 'create'));
    await trail.record(auditEntry(KLANT_B, 'create'));
    await trail.record(auditEntry(KLANT_A, 'update'));
    const a = await trail.list(KLANT_A);
    expect(a.map((e) => e.actie)).toEqual(['create', 'update']);
    expect(await trail.list(KLANT_B)).toHaveLength(1);
    expect(await trail.list('00000000-0000-4000-8000-000000000000')).toEqual([]);
    expect(await trail.get(KLANT_A, a[1]!.uuid)).toEqual(a[1]);
    expect(await trail.get(KLANT_B, a[1]!.uuid)).toBeUndefined();
    await trail.close();
  });

  it('loses nothing on restart: a new store on the same file rebuilds its index', async () => {
    const f = file();
    const first = new AuditTrail(await FileAuditStore.open(f));
    await Promise.all(Array.from({ length: 40 }, (_, i) => first.record(auditEntry(i % 2 ? KLANT_A : KLANT_B, 'update'))));
    const before = await first.list(KLANT_A);
    await first.close();

    const store = await FileAuditStore.open(f);
    expect(store.size).toBe(40);
    const again = new AuditTrail(store);
    expect(await again.list(KLANT_A)).toEqual(before);
    await again.close();
  });

  it('skips a torn line left by a crash and keeps what follows', async () => {
    const f = file();
    const first = new AuditTrail(await FileAuditStore.open(f));
    await first.record(auditEntry(KLANT_A, 'create'));
    await first.close();
    appendFileSync(f, '{"uuid":"torn-by-a-cra');
    const bad: number[] = [];
    const second = new AuditTrail(await FileAuditStore.open(f, { onBadLine: (o) => bad.push(o) }));
    await second.record(auditEntry(KLANT_A, 'update'));
    expect((await second.list(KLANT_A)).map((e) => e.actie)).toEqual(['create', 'update']);
    expect(bad).toHaveLength(1);
    await second.close();
  });

  it('sees entries another process appended to the same file', async () => {
    const f = file();
    const one = new AuditTrail(await FileAuditStore.open(f));
    const two = new AuditTrail(await FileAuditStore.open(f));
    await one.record(auditEntry(KLANT_A, 'create'));
    await two.record(auditEntry(KLANT_A, 'update'));
    expect((await one.list(KLANT_A)).map((e) => e.actie)).toEqual(['create', 'update']);
    expect((await two.list(KLANT_A)).map((e) => e.actie)).toEqual(['create', 'update']);
    await one.close();
    await two.close();
  });
});

describe('MemoryAuditStore', () => {
  it('keeps entries apart from the caller’s objects', async () => {
    const trail = new AuditTrail(new MemoryAuditStore());
    await trail.record(auditEntry(KLANT_A, 'create'));
    const [e] = await trail.list(KLANT_A);
    e!.actie = 'changed';
    expect((await trail.list(KLANT_A))[0]?.actie).toBe('create');
  });
});
