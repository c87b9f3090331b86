// Checks the backend's final state against the history of every klant the load wrote.
//
// Per klant, the set of states the backend may hold is built from its writes in order: an
// acknowledged write (2xx) applies to every candidate; a rejected one (a complete error answer,
// or a refused connection) changes nothing; one with an unknown outcome (504, client timeout,
// connection cut) may or may not have applied, as a whole. The stored state must be one of the
// candidates. When it is not, it is classified:
//   lost     an acknowledged write's values are missing (incl. an acknowledged create not stored)
//   phantom  a value of a rejected write is stored
//   half     values of one write are partly applied
//   duplicate  more than one stored object for one klantnummer
import type { KlantData } from '../../src/domain/klant.ts';
import type { Tracked, WriteRecord } from './mixed-load.ts';

export interface WriteCheck {
  writes: number;
  ok: number;
  rejected: number;
  refused: number;
  unknown: number;
  /** Unknown-outcome creates found stored / not stored (both are fine). */
  unknownCreatesPresent: number;
  unknownCreatesAbsent: number;
  lost: number;
  phantom: number;
  half: number;
  duplicate: number;
  problems: string[];
}

const FIELDS: (keyof Tracked)[] = ['telefoonnummer', 'emailadres', 'functie'];

/** The sequence number of the write that set `value` for `field` (see MixedLoad.tracked). */
function writerOf(field: keyof Tracked, value: string): number | undefined {
  const m =
    field === 'telefoonnummer' ? /^06(\d{8})$/.exec(value) : field === 'emailadres' ? /^w(\d+)@fault\.example$/.exec(value) : /^f(\d+)$/.exec(value);
  return m ? Number(m[1]) : undefined;
}

const key = (t: Tracked | null) => (t === null ? 'absent' : FIELDS.map((f) => t[f]).join('|'));

export function verifyWrites(writes: WriteRecord[], stored: Map<string, KlantData[]>): WriteCheck {
  const out: WriteCheck = {
    writes: writes.length,
    ok: writes.filter((w) => w.outcome === 'ok').length,
    rejected: writes.filter((w) => w.outcome === 'rejected').length,
    refused: writes.filter((w) => w.outcome === 'refused').length,
    unknown: writes.filter((w) => w.outcome === 'unknown').length,
    unknownCreatesPresent: 0,
    unknownCreatesAbsent: 0,
    lost: 0,
    phantom: 0,
    half: 0,
    duplicate: 0,
    problems: [],
  };
  const byKlant = new Map<string, WriteRecord[]>();
  for (const w of writes) byKlant.set(w.klantnummer, [...(byKlant.get(w.klantnummer) ?? []), w]);
  const bySeq = new Map(writes.map((w) => [w.seq, w]));

  for (const [klantnummer, history] of byKlant) {
    history.sort((a, b) => a.seq - b.seq);
    let candidates = new Map<string, Tracked | null>([['absent', null]]);
    for (const w of history) {
      const apply = (c: Tracked | null): Tracked | null => (w.kind === 'create' ? (w.sets as Tracked) : c === null ? null : { ...c, ...w.sets });
      const applied = new Map([...candidates.values()].map((c) => [key(apply(c)), apply(c)] as const));
      if (w.outcome === 'ok') candidates = applied;
      else if (w.outcome === 'unknown') candidates = new Map([...candidates, ...applied]);
    }
    const found = stored.get(klantnummer) ?? [];
    const create = history.find((w) => w.kind === 'create');
    if (create?.outcome === 'unknown') {
      if (found.length > 0) out.unknownCreatesPresent++;
      else out.unknownCreatesAbsent++;
    }
    if (found.length > 1) {
      out.duplicate++;
      out.problems.push(`duplicate: ${found.length} stored objects for klantnummer ${klantnummer}`);
      continue;
    }
    const actual: Tracked | null = found[0] ? { telefoonnummer: found[0].telefoonnummer, emailadres: found[0].emailadres, functie: found[0].functie } : null;
    if (candidates.has(key(actual))) continue;

    const story = history.map((w) => `${w.kind}#${w.seq}:${w.outcome}(${w.detail})`).join(' → ');
    if (actual === null) {
      out.lost++;
      out.problems.push(`lost: ${klantnummer} is not stored; history ${story}`);
      continue;
    }
    const writers = FIELDS.map((f) => bySeq.get(writerOf(f, actual[f]) ?? -1));
    if (writers.some((w) => w !== undefined && (w.outcome === 'rejected' || w.outcome === 'refused'))) {
      out.phantom++;
      out.problems.push(`phantom: ${klantnummer} holds ${key(actual)} from a rejected write; history ${story}`);
    } else if (
      FIELDS.some((f, i) => {
        const latestOk = [...history].reverse().find((w) => w.outcome === 'ok' && w.sets[f] !== undefined);
        return latestOk !== undefined && (writers[i]?.seq ?? -1) < latestOk.seq;
      })
    ) {
      out.lost++;
      out.problems.push(`lost: ${klantnummer} holds ${key(actual)}, older than an acknowledged write; history ${story}`);
    } else {
      out.half++;
      out.problems.push(`half: ${klantnummer} holds ${key(actual)}, not one whole state; history ${story}`);
    }
  }
  return out;
}
