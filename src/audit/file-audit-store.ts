// Audit entries in an append-only JSONL file (one StoredAuditEntry per line), fsync'ed before
// `append` resolves: an acknowledged entry survives a crash or restart of the gateway and of the
// machine. The only in-memory state is an index (klant id → byte ranges of its lines), rebuilt by
// reading the file at start-up and extended by reading what was appended since (by this or any
// other process sharing the file) before each read, so reads see every acknowledged entry.
// A line that does not parse (a torn write of an unacknowledged entry after a crash) is skipped.
// Memory: about 150 bytes of index per entry; past a few million entries use the Redis store.
import { AppendLog } from './append-log.ts';
import { isStoredAuditEntry, type StoredAuditEntry } from './audit-entry.ts';
import type { AuditStore } from './audit-store.ts';

interface Location {
  uuid: string;
  offset: number;
  length: number;
}

export interface FileAuditStoreOptions {
  fsync?: boolean;
  /** Called for each line that is not an audit entry (logged by the caller). */
  onBadLine?: (offset: number) => void;
}

export class FileAuditStore implements AuditStore {
  readonly kind = 'file' as const;
  private readonly log: AppendLog;
  private readonly index = new Map<string, Location[]>();
  private indexedTo = 0;
  private catchingUp: Promise<void> | undefined;
  private readonly onBadLine: (offset: number) => void;

  private constructor(log: AppendLog, onBadLine: (offset: number) => void) {
    this.log = log;
    this.onBadLine = onBadLine;
  }

  static async open(file: string, opts: FileAuditStoreOptions = {}): Promise<FileAuditStore> {
    const store = new FileAuditStore(await AppendLog.open(file, { fsync: opts.fsync }), opts.onBadLine ?? (() => {}));
    await store.catchUp();
    return store;
  }

  get file(): string {
    return this.log.file;
  }

  /** Entries in the index (for tests and start-up logs). */
  get size(): number {
    let n = 0;
    for (const list of this.index.values()) n += list.length;
    return n;
  }

  append(entry: StoredAuditEntry): Promise<void> {
    return this.log.append([JSON.stringify(entry)]);
  }

  async list(klantId: string): Promise<StoredAuditEntry[]> {
    await this.catchUp();
    const locations = this.index.get(klantId) ?? [];
    const entries = await Promise.all(locations.map((l) => this.readAt(l)));
    return entries.filter((e): e is StoredAuditEntry => e !== undefined);
  }

  async get(klantId: string, uuid: string): Promise<StoredAuditEntry | undefined> {
    await this.catchUp();
    const location = this.index.get(klantId)?.find((l) => l.uuid === uuid);
    return location && this.readAt(location);
  }

  close(): Promise<void> {
    return this.log.close();
  }

  private async readAt(l: Location): Promise<StoredAuditEntry | undefined> {
    return parseLine((await this.log.read(l.offset, l.length)).toString('utf8'));
  }

  /** Indexes what was appended since the last look (single-flight). */
  private catchUp(): Promise<void> {
    this.catchingUp ??= (async () => {
      try {
        this.indexedTo = await this.log.scan(this.indexedTo, ({ line, offset, length }) => {
          const entry = parseLine(line);
          if (!entry) {
            this.onBadLine(offset);
            return;
          }
          const location = { uuid: entry.uuid, offset, length };
          const list = this.index.get(entry.klantId);
          if (list) list.push(location);
          else this.index.set(entry.klantId, [location]);
        });
      } finally {
        this.catchingUp = undefined;
      }
    })();
    return this.catchingUp;
  }
}

function parseLine(line: string): StoredAuditEntry | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return isStoredAuditEntry(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
