// Refresh token families: every token carries the id of the first token of its sign-in. A refresh
// rotates within the family; a rotated refresh token presented again revokes the whole family
// (RFC 9700 section 4.14.2). Tokens issued before this migration start families of their own.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE oauth_tokens ADD COLUMN family_id bigint;
    UPDATE oauth_tokens SET family_id = id;
    ALTER TABLE oauth_tokens ALTER COLUMN family_id SET NOT NULL;
    CREATE INDEX oauth_tokens_family_idx ON oauth_tokens (family_id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE oauth_tokens DROP COLUMN family_id`.execute(db);
}
