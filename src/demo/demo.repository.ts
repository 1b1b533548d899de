// The one question the demo seeder asks the database directly: is this a fresh store?
import type { Queryable } from '../platform/db/database.js';

export class DemoRepository {
  constructor(private readonly db: Queryable) {}

  async hasAnyUser(): Promise<boolean> {
    const row = await this.db.selectFrom('users').select('id').limit(1).executeTakeFirst();
    return row !== undefined;
  }
}
