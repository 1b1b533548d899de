// SQL for user accounts.
import type { Queryable } from '../platform/db/database.js';
import type { NewUserRow, PublicUserRow, UserRow } from '../platform/db/schema.js';

const PUBLIC_COLUMNS = [
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
