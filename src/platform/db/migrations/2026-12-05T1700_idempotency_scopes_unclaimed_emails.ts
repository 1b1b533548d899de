// Idempotency records keep the scopes of the token that made the first request, so a replay never
// answers a token with fewer scopes. A user's e-mail may be empty: a sign-up with an address that
// is already registered answers like any other and creates the account without the address (so
// sign-up does not reveal which addresses are registered).
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE idempotency_keys ADD COLUMN scopes text[] NOT NULL DEFAULT '{}';
    ALTER TABLE users ALTER COLUMN email DROP NOT NULL;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE idempotency_keys DROP COLUMN scopes;
    DELETE FROM users WHERE email IS NULL;
    ALTER TABLE users ALTER COLUMN email SET NOT NULL;
  `.execute(db);
}
