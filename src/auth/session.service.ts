// Browser sessions: what a person signed in with a password in a browser holds instead of a bearer
// token, in an HttpOnly cookie (session-cookie.ts). A session is 256 random bits (`pins_` prefix);
// the database keeps only its SHA-256, with the user, the scopes and an absolute expiry
// (SESSION_TTL_SECONDS), and signing out revokes it. The CSRF token of a session is derived from its
// secret (HMAC-SHA256 keyed by the secret), so it needs no storage, differs per session, and cannot
// be computed from anything the database holds.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError } from '../platform/errors.js';
import type { IdGenerator } from '../platform/ids.js';
import { ADMIN_SCOPES, V5_SCOPES, isScope, type Scope, type Viewer } from '../platform/http/viewer.js';
import type { AccountService } from '../accounts/account.service.js';
import type { SessionRepository } from './session.repository.js';

export interface SessionServiceDeps {
  sessions: SessionRepository;
  accounts: Pick<AccountService, 'authenticate'>;
  ids: IdGenerator;
  ttlSeconds: number;
  now?: () => Date;
}

export interface StartedSession {
  secret: string;
  expiresAt: Date;
  viewer: Viewer;
}

export interface SessionViewer extends Viewer {
  sessionExpiresAt: Date;
}

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function csrfTokenOf(secret: string): string {
  return createHmac('sha256', secret).update('corkboard csrf').digest('base64url');
}

export function csrfTokenMatches(secret: string, token: string | undefined): boolean {
  if (!token) return false;
  const expected = Buffer.from(csrfTokenOf(secret));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export class SessionService {
  private readonly now: () => Date;

  constructor(private readonly deps: SessionServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /**
   * Signs in with a password. The session holds every v5 scope, and for an administrator the
   * extension scopes too (the administration pages are what a browser session is for); whether the
   * account is still an administrator is checked again on every administrative call.
   */
  async signIn(login: string, password: string): Promise<StartedSession> {
    const user = await this.deps.accounts.authenticate(login, password);
    if (!user) throw new AppError('INVALID_GRANT', 'Wrong username or password.');
    const scopes: Scope[] = [...V5_SCOPES, ...(user.is_admin ? ADMIN_SCOPES : [])];
    const secret = `pins_${randomBytes(32).toString('base64url')}`;
    const expiresAt = new Date(this.now().getTime() + this.deps.ttlSeconds * 1000);
    await this.deps.sessions.insert({ id: this.deps.ids.next(), user_id: user.id, token_hash: hashSecret(secret), scopes, expires_at: expiresAt });
    return { secret, expiresAt, viewer: { userId: user.id, username: user.username, scopes: new Set(scopes), isAdmin: user.is_admin } };
  }

  async verify(secret: string): Promise<SessionViewer | null> {
    const found = await this.deps.sessions.findActive(hashSecret(secret), this.now());
    if (!found) return null;
    return {
      userId: found.session.user_id,
      username: found.username,
      scopes: new Set(found.session.scopes.filter(isScope)),
      isAdmin: found.isAdmin,
      sessionExpiresAt: found.session.expires_at,
    };
  }

  async signOut(secret: string): Promise<void> {
    await this.deps.sessions.revoke(hashSecret(secret), this.now());
  }
}
