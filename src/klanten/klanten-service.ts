// The Klanten API resource without HTTP: resolves public ids, asks the backend, paginates.
// klanten/ never sees XML; ids are minted here from backend references.
import type { KlantData } from '../domain/klant.ts';
import type { KlantFilter, KlantenBackend, StoredKlant } from '../backend/klanten-backend.ts';
import type { KlantIdentity } from '../identity/klant-identity.ts';
import { pageWindow } from './pagination.ts';

export interface IdentifiedKlant {
  id: string;
  stored: StoredKlant;
}

export interface KlantPage {
  count: number;
  items: { id: string; data: KlantData }[];
  hasNext: boolean;
  hasPrevious: boolean;
}

export interface CallContext {
  requestId?: string;
  /** Klant field paths the caller needs (undefined = all). */
  fields?: string[];
}

export class KlantenService {
  private readonly backend: KlantenBackend;
  private readonly identity: KlantIdentity;
  private readonly pageSize: number;

  /** When ids of long backend keys are unknown (index lost), rescan the backend at most this often. */
  private readonly rescanIntervalMs: number;
  private lastRescan = -Infinity;
  private rescanning: Promise<void> | undefined;

  constructor(backend: KlantenBackend, identity: KlantIdentity, pageSize: number, rescanIntervalMs = 60_000) {
    this.backend = backend;
    this.identity = identity;
    this.pageSize = pageSize;
    this.rescanIntervalMs = rescanIntervalMs;
  }

  /** One page of the filtered collection, or undefined when the page lies past the end. */
  async list(filter: KlantFilter, page: number, ctx: CallContext = {}): Promise<KlantPage | undefined> {
    const all = await this.backend.list(filter, { fields: ctx.fields, requestId: ctx.requestId });
    const w = pageWindow(all.length, page, this.pageSize);
    if (!w.exists) return undefined;
    const slice = all.slice(w.start, w.end);
    const items = await Promise.all(
      slice.map(async (s) => ({ id: await this.identity.idFor(s.ref), data: s.data })),
    );
    return { count: all.length, items, hasNext: w.hasNext, hasPrevious: w.hasPrevious };
  }

  async get(id: string, ctx: CallContext = {}): Promise<IdentifiedKlant | undefined> {
    const ref = (await this.identity.resolve(id)) ?? (await this.resolveAfterRescan(id, ctx));
    if (!ref) return undefined;
    const stored = await this.backend.get(ref, { fields: ctx.fields, requestId: ctx.requestId });
    return stored ? { id, stored } : undefined;
  }

  /**
   * Ids of keys too long to encode live in the reverse index; when it was lost (Redis flushed, or
   * in-process only), a scan of the backend re-registers every id. Rate-limited, single-flight:
   * random unknown ids cannot make the gateway scan the backend more than once per interval.
   */
  private async resolveAfterRescan(id: string, ctx: CallContext) {
    if (!this.rescanning && performance.now() - this.lastRescan >= this.rescanIntervalMs) {
      this.lastRescan = performance.now();
      this.rescanning = (async () => {
        const all = await this.backend.list({}, { requestId: ctx.requestId, fields: ['klantnummer'] });
        for (const s of all) await this.identity.idFor(s.ref);
      })().finally(() => {
        this.rescanning = undefined;
      });
    }
    if (!this.rescanning) return undefined;
    await this.rescanning;
    return this.identity.resolve(id);
  }
}
