// SQL for discovery over everyone's public content: search of all public pins, typeahead and related
// terms. Every statement reads only pins on boards everyone may read (boardReadableByEveryone, the
// policy's SQL form), joined at query time: a board turned PROTECTED or SECRET leaves every answer
// with the commit that turned it, with no index or copy to bring up to date, and its words (pin
// titles, the board's name) are never suggested.
//
// Ranking (docs/search.md): a pin's text relevance is ts_rank over its weighted search_vector (title A,
// description B, alt text C) joined with its board's (name and description, as D). The score adds,
// in logarithms, how many public pins show the same picture (its saves that everyone may see) and
// the pin's age: score = ln(relevance) + SAVES_WEIGHT * ln(public copies) + created_at / FRESHNESS.
// The age term is a constant per pin (seconds since the epoch scaled by the half-life), so a pin
// FRESHNESS_HALF_LIFE_DAYS older needs twice the relevance to rank alike, and the order of two pins
// never changes with the clock: keyset pages stay stable from one request to the next. One card per
// picture: among the public pins showing an image, the best-scored one stands for it.
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Queryable } from '../platform/db/database.js';
import { boardReadableByEveryone } from '../boards/board-visibility.sql.js';

/** How the pins were matched: 'text' by full-text search, 'typo' by trigram word similarity. */
export type MatchMode = 'text' | 'typo';

export interface PublicSearchCursor {
  mode: MatchMode;
  rank: string;
  id: string;
}

export interface RankedPublicPin {
  id: string;
  /** The score as exact numeric text (nine decimals), compared as is by the next page. */
  rank: string;
}

export interface TermCount {
  term: string;
  uses: number;
}

/** Relevance weight of the number of public pins showing the same picture. */
const SAVES_WEIGHT = 0.3;
/** A pin this many days older needs twice the relevance to rank alike. */
export const FRESHNESS_HALF_LIFE_DAYS = 90;
const FRESHNESS_SECONDS = (FRESHNESS_HALF_LIFE_DAYS * 86_400) / Math.LN2;
/** How many of the newest matching public pins related terms look at, per term. */
const RELATED_SAMPLE = 500;

function tsquery(text: string): RawBuilder<unknown> {
  return sql`websearch_to_tsquery('english', ${text})`;
}

/** `text` as a LIKE pattern matching what begins with it, lowercased. */
function prefixPattern(text: string): string {
  return `${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export class PublicSearchRepository {
  constructor(private readonly db: Queryable) {}

  /**
   * Public pins matching `text`, one per picture, best first; fetches `limit + 1`. 'text' mode uses
   * full-text search (stemmed English: "bakes" finds "baking"); 'typo' mode finds titles and board
   * names holding words spelt nearly as typed (pg_trgm's strict word similarity, whole words, at
   * least 0.5: "chiken" finds "chicken", "pasta" does not find "pastry").
   */
  async searchPins(mode: MatchMode, text: string, after: PublicSearchCursor | null, limit: number): Promise<RankedPublicPin[]> {
    const typed = text.toLowerCase();
    // Candidates carry the columns ranking needs, so pins are not joined again by id (the planner
    // then hashed the candidates and scanned every pin: 1.3 s against 0.28 s for a word of 5,865
    // pins among 400,000). UNION ALL, with board-name matches that the pin's own words did not
    // already match, instead of UNION: no deduplication over tsvectors.
    const pinMatch = mode === 'text' ? sql<SqlBool>`p.search_vector @@ ${tsquery(text)}` : sql<SqlBool>`(p.title IS NOT NULL AND lower(p.title) %>> ${typed})`;
    const boardMatch = mode === 'text' ? sql<SqlBool>`b.search_vector @@ ${tsquery(text)}` : sql<SqlBool>`lower(b.name) %>> ${typed}`;
    const candidates = sql`
      SELECT p.id, p.image_id, p.created_at, p.board_id, p.title, p.search_vector FROM pins p WHERE ${pinMatch}
      UNION ALL
      SELECT p.id, p.image_id, p.created_at, p.board_id, p.title, p.search_vector FROM boards b JOIN pins p ON p.board_id = b.id
      WHERE ${boardMatch} AND ${boardReadableByEveryone('b')} AND NOT coalesce(${pinMatch}, false)`;
    const relevance =
      mode === 'text'
        ? sql`ts_rank(c.search_vector || setweight(b.search_vector, 'D'), ${tsquery(text)})`
        : sql`greatest(strict_word_similarity(${typed}, lower(coalesce(c.title, ''))), 0.5 * strict_word_similarity(${typed}, lower(b.name)))`;
    const cursor = after ? sql<SqlBool>`(best.rank, best.id) < (${after.rank}::numeric, ${after.id}::bigint)` : sql<SqlBool>`true`;
    const { rows } = await sql<RankedPublicPin>`
      WITH candidates AS (${candidates}),
      scored AS (
        SELECT c.id, c.image_id, round((
            ln(${relevance}::float8 + 1e-6)
            + ${SAVES_WEIGHT}::float8 * ln((count(*) OVER (PARTITION BY c.image_id))::float8)
            + extract(epoch FROM c.created_at)::float8 / ${FRESHNESS_SECONDS}::float8
          )::numeric, 9) AS rank
        FROM candidates c
        JOIN boards b ON b.id = c.board_id
        WHERE ${boardReadableByEveryone('b')}
      ),
      best AS (
        SELECT DISTINCT ON (image_id) id, rank FROM scored ORDER BY image_id, rank DESC, id DESC
      )
      SELECT best.id::text AS id, best.rank::text AS rank FROM best
      WHERE ${cursor}
      ORDER BY best.rank DESC, best.id DESC
      LIMIT ${limit + 1}`.execute(this.db);
    return rows;
  }

  /**
   * What public pins are titled and public boards are named, beginning with `text` (case-insensitive),
   * most used first, then alphabetically.
   */
  async suggestTerms(text: string, limit: number): Promise<TermCount[]> {
    const pattern = prefixPattern(text);
    const { rows } = await sql<TermCount>`
      SELECT term, sum(uses)::int AS uses FROM (
        SELECT lower(p.title) AS term, count(*) AS uses
        FROM pins p JOIN boards b ON b.id = p.board_id
        WHERE p.title IS NOT NULL AND lower(p.title) LIKE ${pattern} AND ${boardReadableByEveryone('b')}
        GROUP BY 1
        UNION ALL
        SELECT lower(b.name) AS term, count(*) AS uses
        FROM boards b
        WHERE lower(b.name) LIKE ${pattern} AND ${boardReadableByEveryone('b')}
        GROUP BY 1
      ) named
      GROUP BY term
      ORDER BY uses DESC, term
      LIMIT ${limit}`.execute(this.db);
    return rows;
  }

  /**
   * Terms related to `text`: the names of the public boards holding the newest public pins that
   * match it, and those pins' titles, most frequent first (the term itself left out).
   */
  async relatedTerms(text: string, limit: number): Promise<TermCount[]> {
    const { rows } = await sql<TermCount>`
      WITH sample AS (
        SELECT p.title, b.name
        FROM pins p JOIN boards b ON b.id = p.board_id
        WHERE p.search_vector @@ ${tsquery(text)} AND ${boardReadableByEveryone('b')}
        -- By created_at, which no index orders: ordering by id would let the planner walk the
        -- primary key backwards through every pin until 500 match, for a rare word the whole table.
        ORDER BY p.created_at DESC
        LIMIT ${RELATED_SAMPLE}
      )
      SELECT term, count(*)::int AS uses FROM (
        SELECT lower(name) AS term FROM sample
        UNION ALL
        SELECT lower(title) FROM sample WHERE title IS NOT NULL
      ) named
      WHERE term <> lower(${text})
      GROUP BY term
      ORDER BY uses DESC, term
      LIMIT ${limit}`.execute(this.db);
    return rows;
  }
}
