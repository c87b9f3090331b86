// Klant JSON as the OAS describes it: `url` first, then the KlantData fields in OAS order.
import type { KlantData } from '../domain/klant.ts';

export interface RenderedKlant extends KlantData {
  url: string;
}

export function renderKlant(url: string, data: KlantData): RenderedKlant {
  return { url, ...data };
}
