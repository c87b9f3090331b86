// The scopes of the Klanten API 1.0.0 (OAS `security` per operation). A client configured with
// heeftAlleAutorisaties holds all of them.
export const SCOPES = [
  'klanten.lezen',
  'klanten.aanmaken',
  'klanten.bijwerken',
  'klanten.verwijderen',
  'audittrails.lezen',
] as const;

export type Scope = (typeof SCOPES)[number];
