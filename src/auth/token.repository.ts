// SQL for OAuth tokens. Only SHA-256 hashes of tokens are stored, so a database leak reveals none.
import type { Db, Queryable } from '../platform/db/database.js';
import type { OauthTokenRow } from '../platform/db/schema.js';

export interface TokenWithUser {
  token: OauthTokenRow;
  username: string;
  isAdmin: boolean;
}

export type NewTokenRow = Omit<OauthTokenRow, 'created_at' | 'revoked_at'>;

/** What presenting a refresh token came to. */
export type RotationOutcome =
  | { kind: 'rotated'; previous: OauthTokenRow; issued: NewTokenRow }
  /** Already rotated or revoked: its family is now revoked; `revokedAccessHashes` were live until now. */
  | { kind: 'reused'; revokedAccessHashes: string[] }
  /** Unknown or expired: nothing changed. */
  | { kind: 'invalid' };

export class TokenRepository {
  constructor(private readonly db: Db) {}

  async insert(row: NewTokenRow, db: Queryable = this.db): Promise<void> {
    await db.insertInto('oauth_tokens').values(row).execute();
  }

  async findActiveByAccessHash(hash: string, now: Date): Promise<TokenWithUser | undefined> {
    const row = await this.db
      .selectFrom('oauth_tokens')
      .innerJoin('users', 'users.id', 'oauth_tokens.user_id')
      .selectAll('oauth_tokens')
      .select(['users.username', 'users.is_admin'])
      .where('oauth_tokens.access_token_hash', '=', hash)
      .where('oauth_tokens.revoked_at', 'is', null)
      .where('oauth_tokens.access_expires_at', '>', now)
      .executeTakeFirst();
    if (!row) return undefined;
    const { username, is_admin, ...token } = row;
    return { token, username, isAdmin: is_admin };
  }

  /**
   * Rotates the live token with this refresh hash into the one `next` builds, in one transaction; or,
   * when the refresh token was already rotated or revoked, revokes every token of its family. Both
   * paths first lock the family's first token, so a rotation and a reuse of the same family never
   * interleave: a token issued by a racing rotation is always revoked with the rest.
   */
  async rotate(refreshHash: string, now: Date, next: (previous: OauthTokenRow) => NewTokenRow | Promise<NewTokenRow>): Promise<RotationOutcome> {
    const presented = await this.db
      .selectFrom('oauth_tokens')
      .select(['family_id'])
      .where('refresh_token_hash', '=', refreshHash)
      .executeTakeFirst();
    if (!presented) return { kind: 'invalid' };
    return this.db.transaction().execute(async (tx): Promise<RotationOutcome> => {
      await tx.selectFrom('oauth_tokens').select('id').where('id', '=', presented.family_id).forUpdate().execute();
      const previous = await tx
        .updateTable('oauth_tokens')
        .set({ revoked_at: now })
        .where('refresh_token_hash', '=', refreshHash)
        .where('revoked_at', 'is', null)
        .where('refresh_expires_at', '>', now)
        .returningAll()
        .executeTakeFirst();
      if (previous) {
        const issued = await next(previous);
        await this.insert(issued, tx);
        return { kind: 'rotated', previous, issued };
      }
      const stale = await tx
        .selectFrom('oauth_tokens')
        .select('revoked_at')
        .where('refresh_token_hash', '=', refreshHash)
        .executeTakeFirstOrThrow();
      // Expired and never rotated: an old token, not a stolen one.
      if (stale.revoked_at === null) return { kind: 'invalid' };
      const revoked = await tx
        .updateTable('oauth_tokens')
        .set({ revoked_at: now })
        .where('family_id', '=', presented.family_id)
        .where('revoked_at', 'is', null)
        .returning('access_token_hash')
        .execute();
      return { kind: 'reused', revokedAccessHashes: revoked.map((row) => row.access_token_hash) };
    });
  }

  /** Revokes the token whose access or refresh hash matches; returns the access hashes revoked. */
  async revokeByAnyHash(hash: string, now: Date): Promise<string[]> {
    const rows = await this.db
      .updateTable('oauth_tokens')
      .set({ revoked_at: now })
      .where((eb) => eb.or([eb('access_token_hash', '=', hash), eb('refresh_token_hash', '=', hash)]))
      .where('revoked_at', 'is', null)
      .returning('access_token_hash')
      .execute();
    return rows.map((row) => row.access_token_hash);
  }
}
