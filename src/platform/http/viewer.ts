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

export type Scope = (typeof V5_SCOPES)[number];

export function isScope(value: string): value is Scope {
  return (V5_SCOPES as readonly string[]).includes(value);
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
export function requireScopes(viewer: Viewer | null, scopes: readonly Scope[]): Viewer {
  if (!viewer) throw new AppError('AUTHENTICATION_FAILED');
  const missing = scopes.filter((scope) => !viewer.scopes.has(scope));
  if (missing.length > 0) {
    throw new AppError('MISSING_SCOPE', `Authorization failed: the token lacks scope ${missing.join(', ')}.`);
  }
  return viewer;
}
