// Verified tokens are cached per process, keyed by the hash of the access token. Every UPDATE (a
// revocation, a rotation) or DELETE of oauth_tokens now appends a 'rows.changed' entry with the access
// hashes it touched, as the cached tables do (2026-11-28T0300), so every process drops a revoked
// token by reading the change log, whether or not Redis carried the news.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const event of ['UPDATE', 'DELETE']) {
    await sql
      .raw(
        `CREATE TRIGGER oauth_tokens_rows_${event.toLowerCase()} AFTER ${event} ON oauth_tokens
         REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION change_log_rows('access_token_hash')`,
      )
      .execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const event of ['UPDATE', 'DELETE']) await sql.raw(`DROP TRIGGER oauth_tokens_rows_${event.toLowerCase()} ON oauth_tokens`).execute(db);
}
