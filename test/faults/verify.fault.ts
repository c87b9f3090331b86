// The checker of the fault suite must be able to say no: synthetic histories against synthetic
// backend states, one per kind of violation, and the legal ambiguities it must accept.
import { describe, expect, it } from 'vitest';
import type { KlantData } from '../../src/domain/klant.ts';
import type { Outcome, Tracked, WriteRecord } from './mixed-load.ts';
import { verifyWrites } from './verify.ts';

const t = (seq: number): Tracked => ({ telefoonnummer: `06${String(seq).padStart(8, '0')}`, emailadres: `w${seq}@fault.example`, functie: `f${seq}` });

function w(kind: WriteRecord['kind'], seq: number, outcome: Outcome, sets: Partial<Tracked> = t(seq)): WriteRecord {
  return { kind, klantnummer: 'k1', subjectType: 'natuurlijk_persoon', sets, seq, status: undefined, outcome, detail: outcome, gateway: 'g', ms: 1, end: seq };
}

function stored(...states: Tracked[]): Map<string, KlantData[]> {
  return new Map([['k1', states.map((s) => ({ klantnummer: 'k1', ...s }) as unknown as KlantData)]]);
}

describe('verifyWrites', () => {
  it('accepts the last acknowledged state, and either side of an unknown outcome', () => {
    expect(verifyWrites([w('create', 1, 'ok'), w('put', 2, 'ok')], stored(t(2))).problems).toEqual([]);
    expect(verifyWrites([w('create', 1, 'ok'), w('put', 2, 'unknown')], stored(t(1))).problems).toEqual([]);
    expect(verifyWrites([w('create', 1, 'ok'), w('put', 2, 'unknown')], stored(t(2))).problems).toEqual([]);
    expect(verifyWrites([w('create', 1, 'unknown')], new Map()).problems).toEqual([]);
    expect(verifyWrites([w('create', 1, 'rejected')], new Map()).problems).toEqual([]);
    const patched = { ...t(1), telefoonnummer: t(2).telefoonnummer };
    expect(verifyWrites([w('create', 1, 'ok'), w('patch', 2, 'ok', { telefoonnummer: t(2).telefoonnummer })], stored(patched)).problems).toEqual([]);
  });

  it('finds a lost create, a lost update, a phantom, a half write and a duplicate', () => {
    expect(verifyWrites([w('create', 1, 'ok')], new Map()).lost).toBe(1);
    expect(verifyWrites([w('create', 1, 'ok'), w('put', 2, 'ok')], stored(t(1))).lost).toBe(1);
    expect(verifyWrites([w('create', 1, 'rejected')], stored(t(1))).phantom).toBe(1);
    expect(verifyWrites([w('create', 1, 'ok'), w('put', 2, 'refused')], stored(t(2))).phantom).toBe(1);
    const half = { ...t(2), functie: t(1).functie };
    expect(verifyWrites([w('create', 1, 'ok'), w('put', 2, 'unknown')], stored(half)).half).toBe(1);
    expect(verifyWrites([w('create', 1, 'ok')], stored(t(1), t(1))).duplicate).toBe(1);
  });
});
