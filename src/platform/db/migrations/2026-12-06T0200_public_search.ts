// Search over everyone's public pins and typeahead (src/search/public-search.*). pg_trgm (shipped with
// PostgreSQL's contrib and with PGlite, loaded there by openDatabase) gives typo tolerance: a trigram
// index over pin titles and board names answers strict word similarity matches ("chiken" finds "chicken")
// when full-text search finds nothing. The prefix indexes serve typeahead (titles and board names that
// begin with what was typed). Pins' own search_vector and the boards' one (GIN) serve the full-text part.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db);
  await sql`CREATE INDEX pins_title_trgm_idx ON pins USING gin (lower(title) gin_trgm_ops) WHERE title IS NOT NULL`.execute(db);
  await sql`CREATE INDEX boards_name_trgm_idx ON boards USING gin (lower(name) gin_trgm_ops)`.execute(db);
  await sql`CREATE INDEX pins_title_prefix_idx ON pins (lower(title) text_pattern_ops) WHERE title IS NOT NULL`.execute(db);
  await sql`CREATE INDEX boards_name_prefix_idx ON boards (lower(name) text_pattern_ops)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const index of ['boards_name_prefix_idx', 'pins_title_prefix_idx', 'boards_name_trgm_idx', 'pins_title_trgm_idx']) {
    await sql`DROP INDEX ${sql.id(index)}`.execute(db);
  }
  // The extension stays: other objects in the database may have come to use it.
}
