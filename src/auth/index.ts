// Public surface of JWT-ZGW authentication and scope checks.
export { createAuthenticator, AUTH_FAILURES, RIGHTS_PENDING } from './authenticator.ts';
export type { Authenticator, AuthenticatorOptions, AuthFailureCode, AuthResult, AuthenticatorStats } from './authenticator.ts';
export { authenticateRequests, requireScopeMiddleware, principalOf } from './middleware.ts';
export { hasScope, requireScope } from './principal.ts';
export type { Principal } from './principal.ts';
export { SCOPES } from './scopes.ts';
export type { Scope } from './scopes.ts';
export { signToken, decodeJwt } from './jwt.ts';
export { AutorisatiesRights, autorisatiesRights } from './autorisaties-rights.ts';
export type { AutorisatiesRightsOptions, AutorisatiesStats, RightsLookup } from './autorisaties-rights.ts';
export { fetchClientRights, rightsFromApplicaties, AutorisatiesApiError } from './autorisaties-client.ts';
export type { ClientRights } from './rights.ts';
