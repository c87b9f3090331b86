// Express glue for the authenticator: 401 before anything else runs, 403 per operation.
import type { NextFunction, RequestHandler, Response } from 'express';
import { contextOf } from '../http/context.ts';
import { ApiError } from '../http/problem.ts';
import type { Authenticator, AuthResult } from './authenticator.ts';
import { requireScope } from './principal.ts';
import type { Principal } from './principal.ts';
import type { Scope } from './scopes.ts';

/**
 * Authenticates every request it sees; the principal is then available through principalOf(res).
 * Waits for the Autorisaties API when a client's rights must first be fetched from it.
 */
export function authenticateRequests(authenticator: Authenticator): RequestHandler {
  return (req, res, next) => {
    const result = authenticator.resolve(req.headers.authorization);
    if ('then' in result) result.then((r) => settle(r, res, next), next);
    else settle(result, res, next);
  };
}

function settle(result: AuthResult, res: Response, next: NextFunction): void {
  if (!result.ok) {
    next(result.error);
    return;
  }
  contextOf(res).principal = result.principal;
  next();
}

/** 403 `permission_denied` unless the authenticated principal holds `scope`. */
export function requireScopeMiddleware(scope: Scope): RequestHandler {
  return (_req, res, next) => {
    requireScope(principalOf(res), scope);
    next();
  };
}

/** The authenticated principal; 401 when the request did not pass authenticateRequests. */
export function principalOf(res: Response): Principal {
  const principal = contextOf(res).principal;
  if (principal === undefined) throw ApiError.unauthorized();
  return principal;
}
