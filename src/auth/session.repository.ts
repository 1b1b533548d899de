// SQL for browser sessions. Only the SHA-256 of a session's secret is stored, as for tokens.
import type { Db } from '../platform/db/database.js';
import type { SessionRow } from '../platform/db/schema.js';

export interface SessionWithUser {
  session: SessionRow;
  username: string;
  isAdmin: boolean;
}

export class SessionRepository {
  constructor(private readonly db: Db) {}

  async insert(row: Omit<SessionRow, 'created_at' | 'revoked_at'>): Promise<void> {
    await this.db.insertInto('sessions').values(row).execute();
  }

  async findActive(tokenHash: string, now: Date): Promise<SessionWithUser | undefined> {
    const row = await this.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .selectAll('sessions')
      .select(['users.username', 'users.is_admin'])
      .where('sessions.token_hash', '=', tokenHash)
      .where('sessions.revoked_at', 'is', null)
      .where('sessions.expires_at', '>', now)
      .executeTakeFirst();
    if (!row) return undefined;
    const { username, is_admin, ...session } = row;
    return { session, username, isAdmin: is_admin };
  }

  async revoke(tokenHash: string, now: Date): Promise<void> {
    await this.db.updateTable('sessions').set({ revoked_at: now }).where('token_hash', '=', tokenHash).where('revoked_at', 'is', null).execute();
  }

  async deleteEndedBefore(cutoff: Date): Promise<number> {
    const result = await this.db
      .deleteFrom('sessions')
      .where((eb) => eb.or([eb('expires_at', '<', cutoff), eb('revoked_at', '<', cutoff)]))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
