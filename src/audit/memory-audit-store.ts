// Audit entries in process memory: gone with the process. For tests and demos only; the gateway
// logs a warning when it falls back to this store.
import type { StoredAuditEntry } from './audit-entry.ts';
import type { AuditStore } from './audit-store.ts';

export class MemoryAuditStore implements AuditStore {
  readonly kind = 'memory' as const;
  private readonly byKlant = new Map<string, StoredAuditEntry[]>();

  async append(entry: StoredAuditEntry): Promise<void> {
    const copy = structuredClone(entry);
    const list = this.byKlant.get(copy.klantId);
    if (list) list.push(copy);
    else this.byKlant.set(copy.klantId, [copy]);
  }

  async list(klantId: string): Promise<StoredAuditEntry[]> {
    return structuredClone(this.byKlant.get(klantId) ?? []);
  }

  async get(klantId: string, uuid: string): Promise<StoredAuditEntry | undefined> {
    const found = this.byKlant.get(klantId)?.find((e) => e.uuid === uuid);
    return found && structuredClone(found);
  }

  async close(): Promise<void> {}
}
