// Walks a Klanten list through its `next` links, as a consumer would.
import { expect } from 'vitest';
import type { ApiResponse, Harness } from './harness.ts';

export interface AllPages {
  /** `count` of the last page. */
  count: number;
   
  items: any[];
  pages: ApiResponse[];
}

/** Every page of `/api/v1/klanten<query>` (each must be 200), their results together. */
export async function collectAll(h: Harness, query = ''): Promise<AllPages> {
  const all: AllPages = { count: -1, items: [], pages: [] };
  let path: string | null = `/api/v1/klanten${query}`;
  while (path) {
    const r = await h.get(path);
    expect(r.status, r.text).toBe(200);
    all.pages.push(r);
    all.count = r.body.count;
    all.items.push(...r.body.results);
    path = r.body.next ? new URL(r.body.next).pathname + new URL(r.body.next).search : null;
  }
  return all;
}
