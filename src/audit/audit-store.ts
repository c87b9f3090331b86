// Where audit entries are kept. Implementations: file-audit-store.ts (JSONL + fsync, one instance
// or several on one shared disk), redis-audit-store.ts (several instances), memory-audit-store.ts
// (tests, throw-away setups). All resolve `append` only once the entry will survive a restart of
// the gateway (the memory store excepted, by definition).
import type { StoredAuditEntry } from './audit-entry.ts';

export type AuditStoreKind = 'file' | 'redis' | 'memory';

export interface AuditStore {
  readonly kind: AuditStoreKind;
  append(entry: StoredAuditEntry): Promise<void>;
  /**
   * False when an append would fail now (Redis not connected): writes are then refused up front.
   * A promise while a reconnect in progress decides it.
   */
  writable?(): boolean | Promise<boolean>;
  /** Every entry of one klant, oldest first. */
  list(klantId: string): Promise<StoredAuditEntry[]>;
  get(klantId: string, uuid: string): Promise<StoredAuditEntry | undefined>;
  close(): Promise<void>;
}
