// Who is making a request: the authenticated user and the v5 scopes their token grants.
import { AppError } from '../errors.js';

export const V5_SCOPES = [
  'boards:read',
  'boards:read_secret',
  'boards:write',
  'boards:write_secret',
  'pins:read',
  'pins:read_secret',
  'pins:write',
  'pins:write_secret',
  'user_accounts:read',
  'user_accounts:write',
] as const;

/**
 * Extension scopes, named in v5's style. A token never gets one by default (a request without
 * `scope` gets the v5 scopes above), and only administrators may be granted them: experiments:admin
 * manages experiments and reads their results.
 */
export const ADMIN_SCOPES = ['experiments:admin'] as const;

export type V5Scope = (typeof V5_SCOPES)[number];
export type AdminScope = (typeof ADMIN_SCOPES)[number];
export type Scope = V5Scope | AdminScope;

export const ALL_SCOPES: readonly Scope[] = [...V5_SCOPES, ...ADMIN_SCOPES];

export function isScope(value: string): value is Scope {
  return (ALL_SCOPES as readonly string[]).includes(value);
}

export function isAdminScope(value: Scope): value is AdminScope {
  return (ADMIN_SCOPES as readonly string[]).includes(value);
}

export interface Viewer {
  userId: string;
  username: string;
  scopes: ReadonlySet<Scope>;
  isAdmin: boolean;
}

export function hasScope(viewer: Viewer | null, scope: Scope): boolean {
  return viewer !== null && viewer.scopes.has(scope);
}

/** Throws 401 without a viewer and 403 when the token lacks one of `scopes`. */
export function requireScopes<V extends Pick<Viewer, 'scopes'>>(viewer: V | null, scopes: readonly Scope[]): V {
  if (!viewer) throw new AppError('AUTHENTICATION_FAILED');
  const missing = scopes.filter((scope) => !viewer.scopes.has(scope));
  if (missing.length > 0) {
    throw new AppError('MISSING_SCOPE', `Authorization failed: the token lacks scope ${missing.join(', ')}.`);
  }
  return viewer;
}
