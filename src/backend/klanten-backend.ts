// The boundary between the Klanten API resource (klanten/) and whatever system holds the klanten.
// StufKlantenBackend is one implementation; klanten/ never sees XML.
import type { KlantData, SubjectType } from '../domain/klant.ts';

/** Where a klant lives in the backend: its entity kind and the backend's own key. */
export interface BackendRef {
  subjectType: SubjectType;
  /** The backend's key for the object (StUF: sleutelVerzendend of the answering system). */
  key: string;
}

export interface StoredKlant {
  ref: BackendRef;
  data: KlantData;
}

/** Equality filters of klant_list, already validated; names as in the OAS (camelCase paths). */
export interface KlantFilter {
  bronorganisatie?: string;
  klantnummer?: string;
  bedrijfsnaam?: string;
  functie?: string;
  achternaam?: string;
  telefoonnummer?: string;
  emailadres?: string;
  'adres.straatnaam'?: string;
  'adres.postcode'?: string;
  'adres.woonplaatsnaam'?: string;
  'adres.landcode'?: string;
  subject?: string;
  subjectType?: SubjectType;
  'subjectIdentificatie.inpBsn'?: string;
  'subjectIdentificatie.anpIdentificatie'?: string;
  'subjectIdentificatie.inpANummer'?: string;
  'subjectIdentificatie.innNnpId'?: string;
  'subjectIdentificatie.annIdentificatie'?: string;
  'subjectIdentificatie.vestigingsNummer'?: string;
}

export interface ReadOptions {
  /** Klant JSON paths the caller needs (undefined = all): lets the backend narrow its question. */
  fields?: string[];
  /** Correlation id of the consumer request, carried into backend messages. */
  requestId?: string;
}

export interface KlantenBackend {
  /** Every klant matching the filter, in a stable order (the caller paginates). */
  list(filter: KlantFilter, opts?: ReadOptions): Promise<StoredKlant[]>;
  /** One klant by its backend reference, or null when the backend does not know it. */
  get(ref: BackendRef, opts?: ReadOptions): Promise<StoredKlant | null>;
  create(data: KlantData, opts?: ReadOptions): Promise<StoredKlant>;
  /** Replace `current` (the state the caller read) by `next`. */
  update(current: StoredKlant, next: KlantData, opts?: ReadOptions): Promise<StoredKlant>;
  delete(current: StoredKlant, opts?: ReadOptions): Promise<void>;
  /** Cheap reachability probe for /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
