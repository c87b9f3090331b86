// Latency and fault injection, switchable at runtime (programmatic API and POST /__admin/faults).
//
// Every fault may be limited to some message types (`messages`, payload element names such as
// npsLk01 or ctpLv01: one fault state serves every sector endpoint, and a name no endpoint answers
// is refused rather than never triggering), to a share of the requests (`share`, 0..1, default
// all) and to the next N triggering requests (`times`, then it removes itself). Kinds:
//  latency  replaces the configured base latency: every answer waits ms (+ uniform jitter);
//  slow     the triggered requests wait ms more (for timeouts);
//  down     mode 'reset': the connection is closed without an answer; mode 'refuse': the port
//           stops listening (ECONNREFUSED) until forMs has passed or the fault is cleared;
//  fo02     a StUF error instead of processing: Fo02 (Fo03 for an Lk01), code StUF058 by default;
//  garbage  no StUF answer: plain text, an HTML error page, an empty body, XML truncated in the
//           middle, or the connection cut after half the announced body;
//  hostile  an answer that attacks the client: DOCTYPE with an external entity, billion laughs,
//           a huge streamed body (sizeMb, default 100), 100 000 nested elements, or the real
//           answer with its sector namespace that of another version (StUF-BG 02.04, ...).
// Garbage and hostile answers are shaped after the endpoint's sector (fault-responses.ts): a
// ctpLv01 gets a broken ctpLa01 in the StUF-ZKN namespace, an npsLv01 a broken npsLa01.
// All but latency, slow and hostile 'wrong-namespace' answer without processing the message,
// so the store does not change. Every message is validated and recorded regardless.
import { z } from 'zod';
import { MESSAGE_NAMES } from './sectors.ts';

const common = {
  share: z.number().min(0).max(1).optional(),
  messages: z
    .array(z.string().refine((m) => MESSAGE_NAMES.includes(m), { error: (issue) => `no simulator endpoint answers ${String(issue.input)} (one of ${MESSAGE_NAMES.join(', ')})` }))
    .optional(),
  times: z.number().int().positive().optional(),
};

export const GARBAGE_KINDS = ['text', 'html', 'empty', 'truncated', 'cut'] as const;
export const HOSTILE_KINDS = ['doctype', 'billion-laughs', 'huge', 'deep', 'wrong-namespace'] as const;

export const FaultSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('latency'), ms: z.number().min(0), jitterMs: z.number().min(0).optional(), ...common }),
  z.strictObject({ type: z.literal('slow'), ms: z.number().min(0), ...common }),
  z.strictObject({ type: z.literal('down'), mode: z.enum(['reset', 'refuse']).optional(), forMs: z.number().int().positive().optional(), ...common }),
  z.strictObject({ type: z.literal('fo02'), code: z.string().min(1).max(7).optional(), omschrijving: z.string().min(1).max(200).optional(), ...common }),
  z.strictObject({ type: z.literal('garbage'), kind: z.enum(GARBAGE_KINDS).optional(), ...common }),
  z.strictObject({ type: z.literal('hostile'), kind: z.enum(HOSTILE_KINDS), sizeMb: z.number().positive().max(4096).optional(), ...common }),
]);

export type Fault = z.infer<typeof FaultSchema>;
export type FaultType = Fault['type'];

/** The faults that replace the answer, strongest first. */
const ANSWER_FAULTS: FaultType[] = ['down', 'hostile', 'garbage', 'fo02'];

interface Active {
  fault: Fault;
  remaining: number | undefined;
}

export class FaultState {
  private readonly active = new Map<FaultType, Active>();
  private readonly random: () => number;
  private readonly base: { ms: number; jitterMs: number };
  private readonly injected: Record<string, number> = {};

  constructor(random: () => number, baseLatency: { ms: number; jitterMs: number }) {
    this.random = random;
    this.base = baseLatency;
  }

  /** Validates and activates a fault; replaces an active fault of the same type. */
  set(input: unknown): Fault {
    const fault = FaultSchema.parse(input);
    this.active.set(fault.type, { fault, remaining: fault.times });
    return fault;
  }

  clear(type?: FaultType): void {
    if (type) this.active.delete(type);
    else this.active.clear();
  }

  list(): Fault[] {
    return [...this.active.values()].map((a) => a.fault);
  }

  get(type: FaultType): Fault | undefined {
    return this.active.get(type)?.fault;
  }

  injectedCounts(): Record<string, number> {
    return { ...this.injected };
  }

  resetCounts(): void {
    for (const k of Object.keys(this.injected)) delete this.injected[k];
  }

  /** Milliseconds to wait before answering this message: latency (+jitter) and a triggered 'slow'. */
  delayFor(element: string): number {
    const lat = this.active.get('latency');
    let ms = 0;
    if (lat?.fault.type === 'latency') {
      if (this.triggers(lat, element)) ms += lat.fault.ms + this.random() * (lat.fault.jitterMs ?? 0);
    } else {
      ms += this.base.ms + this.random() * this.base.jitterMs;
    }
    const slow = this.active.get('slow');
    if (slow?.fault.type === 'slow' && this.triggers(slow, element)) ms += slow.fault.ms;
    return ms;
  }

  /** The answer-replacing fault for this message, if one triggers ('down' refuse mode never does). */
  pick(element: string): Fault | undefined {
    for (const type of ANSWER_FAULTS) {
      const a = this.active.get(type);
      if (!a || (a.fault.type === 'down' && a.fault.mode === 'refuse')) continue;
      if (this.triggers(a, element)) return a.fault;
    }
    return undefined;
  }

  private triggers(a: Active, element: string): boolean {
    const f = a.fault;
    if (f.messages && !f.messages.includes(element)) return false;
    if (f.share !== undefined && this.random() >= f.share) return false;
    if (a.remaining !== undefined) {
      a.remaining -= 1;
      if (a.remaining <= 0) this.active.delete(f.type);
    }
    const label = faultLabel(f);
    this.injected[label] = (this.injected[label] ?? 0) + 1;
    return true;
  }
}

export function faultLabel(f: Fault): string {
  switch (f.type) {
    case 'garbage':
      return `garbage:${f.kind ?? 'text'}`;
    case 'hostile':
      return `hostile:${f.kind}`;
    case 'down':
      return `down:${f.mode ?? 'reset'}`;
    default:
      return f.type;
  }
}
