// OAuth2 token use cases: the password grant for first-party clients, refresh with rotation,
// revocation, and resolving a bearer token into a Viewer. Tokens are 256 random bits; Pinterest's
// `pina_`/`pinr_` prefixes are kept so secret scanners recognise leaked tokens.
import { createHash, randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { AppError } from '../platform/errors.js';
import type { IdGenerator } from '../platform/ids.js';
import type { TokenVerifier } from '../platform/http/auth-hook.js';
import { V5_SCOPES, isAdminScope, isScope, type Scope, type Viewer } from '../platform/http/viewer.js';
import type { AccountService } from '../accounts/account.service.js';
import type { NewTokenRow, TokenRepository } from './token.repository.js';
import type { Cache } from '../platform/cache/cache.js';
import { TOKEN_NAMESPACE as TOKEN_CACHE } from '../platform/cache/cached-rows.js';

export interface TokenServiceDeps {
  tokens: TokenRepository;
  /**
   * Verified tokens are cached in each process (keyed by their hash). Every revocation is logged in
   * change_log by a trigger, and a request uses the cache only when `fresh` says this process has
   * applied every change committed before it (platform/cache/fresh-reads.ts): a revoke that answered
   * anywhere is refused everywhere from the next request, whether or not Redis is reachable.
   */
  cache?: Cache;
  fresh?: () => Promise<boolean>;
  accounts: AccountService;
  ids: IdGenerator;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  now?: () => Date;
}

export interface IssuedToken {
  access_token: string;
  refresh_token: string;
  token_type: 'bearer';
  expires_in: number;
  refresh_token_expires_in: number;
  /** Unix seconds; Pinterest's refresh response carries it. */
  refresh_token_expires_at: number;
  scope: string;
  response_type: 'authorization_code' | 'refresh_token';
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Parses an OAuth `scope` parameter (Pinterest separates with commas; RFC 6749 with spaces). Without
 * one a token gets every v5 scope, never an extension scope.
 */
export function parseScopes(raw: string | undefined): Scope[] {
  if (raw === undefined || raw.trim() === '') return [...V5_SCOPES];
  const requested = [...new Set(raw.split(/[\s,]+/).filter((part) => part.length > 0))];
  const unknown = requested.filter((scope) => !isScope(scope));
  if (unknown.length > 0) throw new AppError('INVALID_PARAMETERS', `Unknown scope: ${unknown.join(', ')}.`);
  return requested as Scope[];
}

/** Extension scopes (experiments:admin) go to administrators only; anyone else is refused, not narrowed. */
export function assertGrantable(scopes: readonly Scope[], isAdministrator: boolean): void {
  const adminOnly = scopes.filter(isAdminScope);
  if (adminOnly.length > 0 && !isAdministrator) {
    throw new AppError('INVALID_SCOPE', `The scope ${adminOnly.join(', ')} can be granted to administrators only.`);
  }
}

/** What a bearer token was last verified as, in this process (see `verify`). */
interface Verified {
  hash: string;
  /** The token cache's entry it was derived from: while the cache still holds this very object, it stands. */
  entry: unknown;
  viewer: Viewer;
  expiresAt: number;
}

/** Bearer tokens whose verification this process remembers (the most recently used). */
const VERIFIED_TOKENS = 10_000;

export class TokenService implements TokenVerifier {
  private readonly now: () => Date;
  private readonly verified = new LRUCache<string, Verified>({ max: VERIFIED_TOKENS });

  constructor(private readonly deps: TokenServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  async passwordGrant(login: string, password: string, scope: string | undefined): Promise<IssuedToken> {
    const scopes = parseScopes(scope);
    const user = await this.deps.accounts.authenticate(login, password);
    if (!user) throw new AppError('INVALID_GRANT', 'Invalid username or password.');
    assertGrantable(scopes, user.is_admin);
    return this.issue(user.id, scopes, 'authorization_code');
  }

  /** Mints a token without a password: the CLI's `token <username>` and the demo seed use it. */
  async issueFor(userId: string, scopes: readonly Scope[] = V5_SCOPES): Promise<IssuedToken> {
    if (scopes.some(isAdminScope)) assertGrantable(scopes, await this.deps.accounts.isAdministrator(userId));
    return this.issue(userId, scopes, 'authorization_code');
  }

  /**
   * Rotates a refresh token: the presented pair stops working and a new pair of the same family is
   * issued. A refresh token that was already rotated (or revoked) coming back means two parties hold
   * it: the whole family is revoked (RFC 9700 section 4.14.2) and the caller must sign in again.
   */
  async refreshGrant(refreshToken: string, scope: string | undefined): Promise<IssuedToken> {
    const requested = scope === undefined ? undefined : parseScopes(scope);
    let issued: IssuedToken | undefined;
    const outcome = await this.deps.tokens.rotate(hashToken(refreshToken), this.now(), (previous) => {
      const granted = previous.scopes.filter(isScope);
      // A refresh may narrow the scopes, never widen them (RFC 6749 section 6).
      const scopes = requested === undefined ? granted : requested.filter((item) => granted.includes(item));
      if (scopes.length === 0) throw new AppError('INVALID_PARAMETERS', 'The requested scopes were not granted.');
      const minted = this.mint(previous.user_id, previous.family_id, scopes, 'refresh_token');
      issued = minted.issued;
      return minted.row;
    });
    if (outcome.kind === 'reused') await this.deps.cache?.invalidate(TOKEN_CACHE, outcome.revokedAccessHashes);
    if (outcome.kind !== 'rotated' || !issued) throw new AppError('INVALID_GRANT', 'Invalid or expired refresh token.');
    await this.deps.cache?.invalidate(TOKEN_CACHE, [outcome.previous.access_token_hash]);
    return issued;
  }

  async revoke(token: string): Promise<void> {
    // RFC 7009: revoking an unknown token is not an error.
    const revoked = await this.deps.tokens.revokeByAnyHash(hashToken(token), this.now());
    await this.deps.cache?.invalidate(TOKEN_CACHE, revoked);
  }

  async verify(token: string): Promise<Viewer | null> {
    const now = this.now();
    // Every request verifies its token: the cache saves that statement on all but the first.
    const cache = this.deps.cache && (await (this.deps.fresh?.() ?? true)) ? this.deps.cache : undefined;
    // And a token verified before in this process costs neither its sha256 nor a lookup, as long as the
    // cached entry it was verified from is still the one cached: a revoke, a rotation or an expiry of
    // the cache entry drops that (through the change log), and with it this shortcut.
    const remembered = cache ? this.verified.get(token) : undefined;
    if (remembered && remembered.expiresAt > now.getTime() && cache!.peekLocal(TOKEN_CACHE, remembered.hash) === remembered.entry) {
      return remembered.viewer;
    }
    const hash = hashToken(token);
    const lookUp = () => this.deps.tokens.findActiveByAccessHash(hash, now);
    const found = cache ? await cache.get(TOKEN_CACHE, hash, lookUp) : await lookUp();
    if (!found || found.token.revoked_at !== null || found.token.access_expires_at <= now) {
      this.verified.delete(token);
      return null;
    }
    const viewer: Viewer = Object.freeze({
      userId: found.token.user_id,
      username: found.username,
      scopes: new Set(found.token.scopes.filter(isScope)),
      isAdmin: found.isAdmin,
    });
    if (cache) this.verified.set(token, { hash, entry: found, viewer, expiresAt: found.token.access_expires_at.getTime() });
    return viewer;
  }

  private async issue(userId: string, scopes: readonly Scope[], responseType: IssuedToken['response_type']): Promise<IssuedToken> {
    const id = this.deps.ids.next();
    // A sign-in starts a family of its own, named by its first token.
    const { row, issued } = this.mint(userId, id, scopes, responseType, id);
    await this.deps.tokens.insert(row);
    return issued;
  }

  /** A new token pair: the row to store (hashes only) and the answer to give (the tokens). */
  private mint(
    userId: string,
    familyId: string,
    scopes: readonly Scope[],
    responseType: IssuedToken['response_type'],
    id: string = this.deps.ids.next(),
  ): { row: NewTokenRow; issued: IssuedToken } {
    const accessToken = `pina_${randomBytes(32).toString('base64url')}`;
    const refreshToken = `pinr_${randomBytes(32).toString('base64url')}`;
    const now = this.now().getTime();
    const { accessTokenTtlSeconds, refreshTokenTtlSeconds } = this.deps;
    const row: NewTokenRow = {
      id,
      family_id: familyId,
      user_id: userId,
      access_token_hash: hashToken(accessToken),
      refresh_token_hash: hashToken(refreshToken),
      scopes: [...scopes],
      access_expires_at: new Date(now + accessTokenTtlSeconds * 1000),
      refresh_expires_at: new Date(now + refreshTokenTtlSeconds * 1000),
    };
    const issued: IssuedToken = {
      access_token: accessToken,
      refresh_token: refreshToken,
      token_type: 'bearer',
      expires_in: accessTokenTtlSeconds,
      refresh_token_expires_in: refreshTokenTtlSeconds,
      refresh_token_expires_at: Math.floor(now / 1000) + refreshTokenTtlSeconds,
      scope: scopes.join(','),
      response_type: responseType,
    };
    return { row, issued };
  }
}
