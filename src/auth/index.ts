// Public surface of JWT-ZGW authentication and scope checks.
export { createAuthenticator, AUTH_FAILURES } from './authenticator.ts';
export type { Authenticator, AuthenticatorOptions, AuthFailureCode, AuthResult, AuthenticatorStats } from './authenticator.ts';
export { authenticateRequests, requireScopeMiddleware, principalOf } from './middleware.ts';
export { hasScope, requireScope } from './principal.ts';
export type { Principal } from './principal.ts';
export { SCOPES } from './scopes.ts';
export type { Scope } from './scopes.ts';
export { signToken, decodeJwt } from './jwt.ts';
