// The audit trail of klanten: the write path records an entry after each successful write (the
// AuditPort of write-ports.ts), the audit routes read them back. `record` resolves only when the
// store has made the entry durable; it assigns the entry's uuid.
import { randomUUID } from 'node:crypto';
import type { AuditEntry, AuditPort } from '../klanten/write-ports.ts';
import { toStored, type StoredAuditEntry } from './audit-entry.ts';
import type { AuditStore, AuditStoreKind } from './audit-store.ts';

export class AuditTrail implements AuditPort {
  private readonly store: AuditStore;

  constructor(store: AuditStore) {
    this.store = store;
  }

  get storeKind(): AuditStoreKind {
    return this.store.kind;
  }

  ready(): boolean | Promise<boolean> {
    return this.store.writable?.() ?? true;
  }

  async record(entry: AuditEntry): Promise<void> {
    await this.store.append(toStored(entry, randomUUID()));
  }

  /** A klant's entries, oldest first ([] when it has none). */
  list(klantId: string): Promise<StoredAuditEntry[]> {
    return this.store.list(klantId.toLowerCase());
  }

  get(klantId: string, uuid: string): Promise<StoredAuditEntry | undefined> {
    return this.store.get(klantId.toLowerCase(), uuid.toLowerCase());
  }

  close(): Promise<void> {
    return this.store.close();
  }
}
