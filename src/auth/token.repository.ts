// SQL for OAuth tokens. Only SHA-256 hashes of tokens are stored, so a database leak reveals none.
import type { Queryable } from '../platform/db/database.js';
import type { OauthTokenRow } from '../platform/db/schema.js';

export interface TokenWithUser {
  token: OauthTokenRow;
  username: string;
  isAdmin: boolean;
}

export class TokenRepository {
  constructor(private readonly db: Queryable) {}

  async insert(row: Omit<OauthTokenRow, 'created_at' | 'revoked_at'>): Promise<void> {
    await this.db.insertInto('oauth_tokens').values(row).execute();
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

  /** Revokes the live token with this refresh hash and returns it; one of two racing refreshes wins. */
  async revokeByRefreshHash(hash: string, now: Date): Promise<OauthTokenRow | undefined> {
    return this.db
      .updateTable('oauth_tokens')
      .set({ revoked_at: now })
      .where('refresh_token_hash', '=', hash)
      .where('revoked_at', 'is', null)
      .where('refresh_expires_at', '>', now)
      .returningAll()
      .executeTakeFirst();
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
