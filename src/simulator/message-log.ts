// What the simulator received: the last N messages with their XSD verdict, and counters per
// message type, per answer and per injected fault. Tests use it to assert that every message the
// gateway sent was valid, and to count backend calls (single-flight caching, retries).
export interface RecordedMessage {
  seq: number;
  receivedAt: string;
  soapAction: string | undefined;
  /** Local name of the payload element (npsLv01, ...), '' when there was none. */
  element: string;
  valid: boolean;
  /** First XSD (or well-formedness) errors; empty when valid. */
  errors: string[];
  bytes: number;
  xml: string;
  /** What the simulator answered: La01, Bv03, Fo02, ..., or the injected fault. */
  answer?: string;
}

export interface MessageStats {
  total: number;
  invalid: number;
  /** Requests per payload element name (npsLv01: 3, ...). */
  byMessage: Record<string, number>;
  /** Answers per kind (La01, Bv03, Fo02, Fo03, fault:garbage, ...). */
  byAnswer: Record<string, number>;
}

export class MessageLog {
  private readonly capacity: number;
  private readonly ring: RecordedMessage[] = [];
  private seq = 0;
  private stats: MessageStats = emptyStats();

  constructor(capacity: number) {
    this.capacity = Math.max(0, capacity);
  }

  record(m: Omit<RecordedMessage, 'seq' | 'receivedAt'>): RecordedMessage {
    const rec: RecordedMessage = { seq: ++this.seq, receivedAt: new Date().toISOString(), ...m };
    this.stats.total += 1;
    if (!m.valid) this.stats.invalid += 1;
    const key = m.element || '(none)';
    this.stats.byMessage[key] = (this.stats.byMessage[key] ?? 0) + 1;
    if (this.capacity > 0) {
      this.ring.push(rec);
      if (this.ring.length > this.capacity) this.ring.shift();
    }
    return rec;
  }

  answered(rec: RecordedMessage, answer: string): void {
    rec.answer = answer;
    this.stats.byAnswer[answer] = (this.stats.byAnswer[answer] ?? 0) + 1;
  }

  /** Oldest first. */
  list(): RecordedMessage[] {
    return [...this.ring];
  }

  counters(): MessageStats {
    return structuredClone(this.stats);
  }

  clear(): void {
    this.ring.length = 0;
    this.stats = emptyStats();
  }
}

function emptyStats(): MessageStats {
  return { total: 0, invalid: 0, byMessage: {}, byAnswer: {} };
}
