// SQL for user accounts.
import { sql } from 'kysely';
import type { Queryable } from '../platform/db/database.js';
import { isUniqueViolation } from '../platform/db/pg-errors.js';
import type { NewUserRow, PublicUserRow, UserRow } from '../platform/db/schema.js';

export const PUBLIC_COLUMNS = [
  'id',
  'username',
  'about',
  'website_url',
  'profile_image',
  'business_name',
  'account_type',
  'board_count',
  'public_board_count',
  'pin_count',
  'public_pin_count',
  'follower_count',
  'following_count',
  'created_at',
] as const satisfies ReadonlyArray<keyof PublicUserRow>;

export class AccountRepository {
  constructor(private readonly db: Queryable) {}

  async insert(user: NewUserRow): Promise<UserRow> {
    return this.db.insertInto('users').values(user).returningAll().executeTakeFirstOrThrow();
  }

  /**
   * Inserts a signed-up user in one statement whether or not their e-mail address is registered
   * already: a registered address is left out (the column stays null), so both cases run the same
   * statement and answer alike. Two sign-ups racing for a new address: the loser's unique violation
   * is retried without it.
   */
  async insertSignUp(user: NewUserRow & { email: string }): Promise<UserRow> {
    const emailUnlessTaken = sql<string | null>`CASE WHEN EXISTS (SELECT 1 FROM users WHERE lower(email) = lower(${user.email})) THEN NULL ELSE ${user.email} END`;
    try {
      return await this.db.insertInto('users').values({ ...user, email: emailUnlessTaken }).returningAll().executeTakeFirstOrThrow();
    } catch (error) {
      if (!isUniqueViolation(error, 'users_email_key')) throw error;
      return this.db.insertInto('users').values({ ...user, email: null }).returningAll().executeTakeFirstOrThrow();
    }
  }

  async findById(id: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The public columns of the given users, by id; missing ids are left out. */
  async findPublicByIds(ids: readonly string[]): Promise<Map<string, PublicUserRow>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.selectFrom('users').select(PUBLIC_COLUMNS).where('id', 'in', [...new Set(ids)]).execute();
    return new Map(rows.map((row) => [row.id, row]));
  }

  async findByUsername(username: string): Promise<UserRow | undefined> {
    return this.db
      .selectFrom('users')
      .selectAll()
      .where((eb) => eb(eb.fn('lower', ['username']), '=', username.toLowerCase()))
      .executeTakeFirst();
  }

  async findByUsernameOrEmail(login: string): Promise<UserRow | undefined> {
    const needle = login.toLowerCase();
    return this.db
      .selectFrom('users')
      .selectAll()
      .where((eb) => eb.or([eb(eb.fn('lower', ['username']), '=', needle), eb(eb.fn('lower', ['email']), '=', needle)]))
      .executeTakeFirst();
  }

  async setAdmin(id: string, isAdmin: boolean): Promise<void> {
    await this.db.updateTable('users').set({ is_admin: isAdmin }).where('id', '=', id).execute();
  }
}
