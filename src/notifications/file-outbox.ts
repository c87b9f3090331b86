// Outbox in an append-only JSONL file (or, without a file, in memory only). The file is a log of
// operations, replayed at start-up: {"op":"add","entry":…} / {"op":"retry","id","attempts","dueAt"}
// / {"op":"done","id"} / {"op":"dead","id"}. `add` resolves once its line is fsync'ed, so an
// enqueued notification survives a crash or restart; the state in memory is what the log says.
// When the log holds many superseded lines it is rewritten with only the pending entries
// (compaction; temp file + rename, so a crash leaves the old or the new file, both complete).
// One process per file: several gateway instances need their own outboxFile, or Redis.
import { AppendLog } from '../audit/append-log.ts';
import type { Outbox, OutboxEntry, OutboxKind } from './outbox.ts';

interface Item {
  entry: OutboxEntry;
  leasedUntil: number;
  /** false while its `add` line is not yet on disk: not claimable. */
  durable: boolean;
}

type LogRecord =
  | { op: 'add'; entry: OutboxEntry }
  | { op: 'retry'; id: string; attempts: number; dueAt: number }
  | { op: 'done'; id: string }
  | { op: 'dead'; id: string; reason: string };

export interface FileOutboxOptions {
  fsync?: boolean;
  /** Rewrite the file once this many lines are superseded (and they outnumber the pending ones). */
  compactAfter?: number;
}

export class FileOutbox implements Outbox {
  readonly kind: OutboxKind;
  private readonly items = new Map<string, Item>();
  private readonly log: AppendLog | undefined;
  private readonly compactAfter: number;
  private superseded = 0;
  private compacting: Promise<void> | undefined;

  private constructor(log: AppendLog | undefined, compactAfter: number) {
    this.log = log;
    this.kind = log ? 'file' : 'memory';
    this.compactAfter = compactAfter;
  }

  /** An outbox that lives in memory only (lost on restart). */
  static memory(): FileOutbox {
    return new FileOutbox(undefined, Infinity);
  }

  static async open(file: string, opts: FileOutboxOptions = {}): Promise<FileOutbox> {
    const outbox = new FileOutbox(await AppendLog.open(file, { fsync: opts.fsync }), opts.compactAfter ?? 1_000);
    await outbox.replay();
    return outbox;
  }

  get file(): string | undefined {
    return this.log?.file;
  }

  async add(entry: OutboxEntry): Promise<void> {
    await this.compacting;
    const item: Item = { entry: { ...entry }, leasedUntil: 0, durable: this.log === undefined };
    this.items.set(entry.id, item);
    if (!this.log) return;
    try {
      await this.log.append([JSON.stringify({ op: 'add', entry } satisfies LogRecord)]);
      item.durable = true;
    } catch (err) {
      this.items.delete(entry.id);
      throw err;
    }
  }

  async claim(now: number, limit: number, leaseMs: number): Promise<OutboxEntry[]> {
    const due = [...this.items.values()]
      .filter((i) => i.durable && i.entry.dueAt <= now && i.leasedUntil <= now)
      .sort((a, b) => a.entry.dueAt - b.entry.dueAt)
      .slice(0, limit);
    for (const i of due) i.leasedUntil = now + leaseMs;
    return due.map((i) => ({ ...i.entry }));
  }

  async delivered(id: string): Promise<void> {
    if (!this.items.delete(id)) return;
    await this.write({ op: 'done', id }, 2);
  }

  async reschedule(entry: OutboxEntry, dueAt: number): Promise<void> {
    const item = this.items.get(entry.id);
    if (!item) return;
    item.entry = { ...item.entry, attempts: entry.attempts, dueAt };
    item.leasedUntil = 0;
    await this.write({ op: 'retry', id: entry.id, attempts: entry.attempts, dueAt }, 1);
  }

  async giveUp(entry: OutboxEntry, reason: string): Promise<void> {
    if (!this.items.delete(entry.id)) return;
    await this.write({ op: 'dead', id: entry.id, reason }, 2);
  }

  async nextDue(): Promise<number | undefined> {
    let next: number | undefined;
    for (const i of this.items.values()) {
      if (!i.durable) continue;
      const at = Math.max(i.entry.dueAt, i.leasedUntil);
      if (next === undefined || at < next) next = at;
    }
    return next;
  }

  async size(): Promise<number> {
    return this.items.size;
  }

  async close(): Promise<void> {
    await this.compacting;
    await this.log?.close();
  }

  /** Logs a state change that makes `supersedes` earlier lines obsolete; compacts when worth it. */
  private async write(record: LogRecord, supersedes: number): Promise<void> {
    if (!this.log) return;
    await this.compacting;
    await this.log.append([JSON.stringify(record)]);
    this.superseded += supersedes;
    if (this.superseded >= this.compactAfter && this.superseded >= this.items.size) await this.compact();
  }

  private compact(): Promise<void> {
    const log = this.log;
    if (!log) return Promise.resolve();
    this.compacting ??= (async () => {
      try {
        await log.idle(); // appends queued before compaction started are in the old file
        // Every item, also one whose add line was just written but not yet marked durable.
        const lines = [...this.items.values()].map((i) => JSON.stringify({ op: 'add', entry: i.entry } satisfies LogRecord));
        await log.rewrite(lines);
        this.superseded = 0;
      } finally {
        this.compacting = undefined;
      }
    })();
    return this.compacting;
  }

  private async replay(): Promise<void> {
    const log = this.log;
    if (!log) return;
    let lines = 0;
    await log.scan(0, ({ line }) => {
      lines++;
      const r = parseRecord(line);
      if (!r) return;
      if (r.op === 'add') this.items.set(r.entry.id, { entry: r.entry, leasedUntil: 0, durable: true });
      else if (r.op === 'retry') {
        const item = this.items.get(r.id);
        if (item) item.entry = { ...item.entry, attempts: r.attempts, dueAt: r.dueAt };
      } else this.items.delete(r.id);
    });
    this.superseded = lines - this.items.size;
    if (this.superseded > 0) await this.compact();
  }
}

function parseRecord(line: string): LogRecord | undefined {
  try {
    const r = JSON.parse(line) as Partial<Record<string, unknown>>;
    if (r['op'] === 'add') {
      const e = r['entry'] as Partial<OutboxEntry> | undefined;
      if (e && typeof e.id === 'string' && typeof e.payload === 'object' && typeof e.dueAt === 'number') {
        return { op: 'add', entry: { attempts: 0, createdAt: e.dueAt, ...e } as OutboxEntry };
      }
      return undefined;
    }
    if (typeof r['id'] !== 'string') return undefined;
    if (r['op'] === 'retry' && typeof r['attempts'] === 'number' && typeof r['dueAt'] === 'number') {
      return { op: 'retry', id: r['id'], attempts: r['attempts'], dueAt: r['dueAt'] };
    }
    if (r['op'] === 'done') return { op: 'done', id: r['id'] };
    if (r['op'] === 'dead') return { op: 'dead', id: r['id'], reason: String(r['reason'] ?? '') };
  } catch {
    // a torn line: skipped
  }
  return undefined;
}
