// How a validated request body becomes the klant to store (pure functions).
//
// create  absent fields are empty ("" / null), as the API renders them.
// PUT     fields the body leaves out keep their stored value (the reference implementation: DRF's
//         update sets only the attributes given); a group the body gives (adres,
//         subjectIdentificatie, verblijfsadres, subVerblijfBuitenland) replaces the stored group as
//         a whole — its members left out become empty (the validator fills them) — and null clears it.
// PATCH   a deep merge (RFC 7396 JSON merge patch without deletion by omission): members of a
//         group the body gives replace the stored members one by one, the rest of the group stays
//         (the reference updates nested groups member by member too); null clears a field or group;
//         a list (handelsnaam) is replaced whole. A group that was null is built from the members
//         given; its required members must then be among them (validated on the merged result).
//         The reference ignores a null group on update (it cannot clear one); we clear it, as the
//         OAS' `nullable` says.
import type {
  KlantAdres,
  KlantData,
  SubVerblijfBuitenland,
  SubjectType,
  VerblijfsAdres,
} from '../domain/klant.ts';
import { EMPTY_KLANT } from '../domain/klant.ts';
import type { KlantBody, KlantPatch } from './schemas.ts';


const EMPTY_ADRES: KlantAdres = {
  straatnaam: '',
  huisnummer: null,
  huisletter: '',
  huisnummertoevoeging: '',
  postcode: '',
  woonplaatsnaam: '',
  landcode: '',
};

// Required members (aoaIdentificatie, gorOpenbareRuimteNaam; lndLandcode, lndLandnaam) are left
// out, so that a PATCH creating the group without them fails validation as `required`.
const EMPTY_VERBLIJFSADRES: Partial<VerblijfsAdres> = {
  wplWoonplaatsNaam: '',
  aoaPostcode: '',
  aoaHuisnummer: null,
  aoaHuisletter: '',
  aoaHuisnummertoevoeging: '',
  inpLocatiebeschrijving: '',
};

const EMPTY_BUITENLAND: Partial<SubVerblijfBuitenland> = { subAdresBuitenland1: '', subAdresBuitenland2: '', subAdresBuitenland3: '' };

const EMPTY_SUBJECT: Record<SubjectType, Record<string, unknown>> = {
  natuurlijk_persoon: {
    inpBsn: '',
    anpIdentificatie: '',
    inpANummer: '',
    geslachtsnaam: '',
    voorvoegselGeslachtsnaam: '',
    voorletters: '',
    voornamen: '',
    geslachtsaanduiding: '',
    geboortedatum: '',
    verblijfsadres: null,
    subVerblijfBuitenland: null,
  },
  niet_natuurlijk_persoon: {
    innNnpId: '',
    annIdentificatie: '',
    statutaireNaam: '',
    innRechtsvorm: '',
    bezoekadres: '',
    subVerblijfBuitenland: null,
  },
  vestiging: { vestigingsNummer: '', handelsnaam: [], verblijfsadres: null, subVerblijfBuitenland: null },
};

/** The empty group at a Klant path, for a PATCH that gives members of a group that was null. */
function emptyGroup(path: string, subjectType: SubjectType | null): Record<string, unknown> {
  switch (path) {
    case 'adres':
      return { ...EMPTY_ADRES };
    case 'subjectIdentificatie':
      return subjectType ? { ...EMPTY_SUBJECT[subjectType] } : {};
    case 'subjectIdentificatie.verblijfsadres':
      return { ...EMPTY_VERBLIJFSADRES };
    case 'subjectIdentificatie.subVerblijfBuitenland':
      return { ...EMPTY_BUITENLAND };
    default:
      return {};
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A validated create body as a complete klant. */
export function klantFromCreate(body: KlantBody): KlantData {
  return { ...EMPTY_KLANT, ...body };
}

/** A validated PUT body applied to the stored klant. */
export function applyPut(current: KlantData, body: KlantBody): KlantData {
  return { ...current, ...body };
}

export interface MergedPatch {
  /** The stored klant with the patch applied (complete once validation of `touched` passes). */
  merged: KlantData;
  /**
   * Paths the patch set (leaves, lists, null) or created (a group that was null): errors of the
   * merged klant at or under these paths are the patch's; others come from stored data.
   */
  touched: string[];
}

/** A validated PATCH body merged into the stored klant. */
export function applyPatch(current: KlantData, patch: KlantPatch): MergedPatch {
  const touched: string[] = [];
  const subjectType = current.subjectType;
  const merge = (base: Record<string, unknown>, change: Record<string, unknown>, prefix: string): Record<string, unknown> => {
    const out: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(change)) {
      if (value === undefined) continue;
      const path = prefix ? `${prefix}.${key}` : key;
      const stored = base[key];
      if (isPlainObject(value)) {
        if (isPlainObject(stored)) out[key] = merge(stored, value, path);
        else {
          touched.push(path);
          out[key] = merge(emptyGroup(path, subjectType), value, path);
        }
      } else {
        touched.push(path);
        out[key] = value;
      }
    }
    return out;
  };
  const merged = merge(current as unknown as Record<string, unknown>, patch as Record<string, unknown>, '') as unknown as KlantData;
  return { merged, touched };
}

/** Whether an invalidParams name lies at or under one of the paths. */
export function isUnder(name: string, paths: readonly string[]): boolean {
  return paths.some((p) => name === p || name.startsWith(`${p}.`));
}

/** A value that says something: non-empty text, a number, a non-empty list, a group with such a member. */
export function hasContent(value: unknown): boolean {
  if (value === null || value === undefined || value === '') return false;
  if (Array.isArray(value)) return value.some(hasContent);
  if (isPlainObject(value)) return Object.values(value).some(hasContent);
  return true;
}
