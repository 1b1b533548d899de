// Weighted search vectors, so search ranks where a word appears: a pin's title (A) above its
// description (B) above its alt text (C); a board's name (A) above its description (B). Generated
// columns cannot be altered in place, so each is dropped (taking its GIN index) and added again.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE pins DROP COLUMN search_vector;
    ALTER TABLE pins ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
      setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
      setweight(to_tsvector('english', coalesce(description, '')), 'B') ||
      setweight(to_tsvector('english', coalesce(alt_text, '')), 'C')
    ) STORED;
    CREATE INDEX pins_search_idx ON pins USING gin (search_vector);

    ALTER TABLE boards DROP COLUMN search_vector;
    ALTER TABLE boards ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
      setweight(to_tsvector('english', name), 'A') ||
      setweight(to_tsvector('english', coalesce(description, '')), 'B')
    ) STORED;
    CREATE INDEX boards_search_idx ON boards USING gin (search_vector);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE pins DROP COLUMN search_vector;
    ALTER TABLE pins ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
      to_tsvector('english',
        coalesce(title, '') || ' ' || coalesce(description, '') || ' ' || coalesce(alt_text, ''))
    ) STORED;
    CREATE INDEX pins_search_idx ON pins USING gin (search_vector);

    ALTER TABLE boards DROP COLUMN search_vector;
    ALTER TABLE boards ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
      to_tsvector('english', name || ' ' || coalesce(description, ''))
    ) STORED;
    CREATE INDEX boards_search_idx ON boards USING gin (search_vector);
  `.execute(db);
}
