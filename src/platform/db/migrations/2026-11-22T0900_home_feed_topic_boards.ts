// The home feed's picked pool looks up the most followed PUBLIC boards of a topic (a board name,
// case-insensitive): one index range scan instead of reading every board of that name. follower_count
// is in the key, so a board follow moves the entry; privacy is in the predicate, so a board turning
// secret leaves the index.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE INDEX boards_public_topic_idx ON boards (lower(name), follower_count DESC, id DESC) WHERE privacy = 'PUBLIC'
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX boards_public_topic_idx`.execute(db);
}
