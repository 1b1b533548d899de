// SQL for searching the viewer's own pins and boards: PostgreSQL full-text search over the stored,
// weighted search_vector columns (GIN-indexed; title or name weigh more than descriptions), with
// websearch_to_tsquery syntax ("quoted phrases", OR, -excluded). Results order by rank, then id,
// both descending. Every query joins through boardReadableBy, so nothing the viewer may not read
// (a SECRET board without the read_secret scope, a board they no longer collaborate on) is found.
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Queryable } from '../platform/db/database.js';
import type { BoardRow } from '../platform/db/schema.js';
import type { Viewer } from '../platform/http/viewer.js';
import { boardReadableBy } from '../boards/board-visibility.sql.js';
import type { RankCursor } from './search-cursor.js';

/** What to look for: words in websearch syntax, and pin ids the query listed verbatim. */
export interface SearchTerms {
  text: string;
  ids: readonly string[];
}

export interface RankedPin {
  id: string;
  /** The rank as exact numeric text (see rankOf). */
  rank: string;
}

export type RankedBoard = BoardRow & { rank: string };

function tsquery(text: string): RawBuilder<unknown> {
  return sql`websearch_to_tsquery('english', ${text})`;
}

/**
 * ts_rank as a numeric with six significant digits (float4 -> numeric rounds to FLT_DIG, whatever
 * the session's extra_float_digits): ordering and the cursor comparison use this same value, so a
 * page boundary never falls between two floats that print alike.
 */
function rankOf(vectorColumn: string, text: string | null): RawBuilder<string> {
  return text === null
    ? sql<string>`0::numeric`
    : sql<string>`ts_rank(${sql.ref(vectorColumn)}, ${tsquery(text)})::numeric`;
}

function afterCursor(rank: RawBuilder<string>, idColumn: string, after: RankCursor): RawBuilder<SqlBool> {
  return sql<SqlBool>`(${rank}, ${sql.ref(idColumn)}) < (${after.rank}::numeric, ${after.id}::bigint)`;
}

export class SearchRepository {
  constructor(private readonly db: Queryable) {}

  /** Ids and ranks of the viewer's own matching pins, best first; fetches `limit + 1`. */
  async searchOwnPins(viewer: Viewer, terms: SearchTerms, after: RankCursor | null, limit: number): Promise<RankedPin[]> {
    const rank = rankOf('pins.search_vector', terms.text);
    const matches =
      terms.ids.length > 0
        ? sql<SqlBool>`(pins.search_vector @@ ${tsquery(terms.text)} OR pins.id IN (${sql.join(terms.ids.map((id) => sql`${id}::bigint`))}))`
        : sql<SqlBool>`pins.search_vector @@ ${tsquery(terms.text)}`;
    let query = this.db
      .selectFrom('pins')
      .innerJoin('boards', 'boards.id', 'pins.board_id')
      .select(['pins.id', sql<string>`${rank}::text`.as('rank')])
      .where('pins.owner_id', '=', viewer.userId)
      .where(boardReadableBy(viewer, 'pins', 'boards'))
      .where(matches);
    if (after) query = query.where(afterCursor(rank, 'pins.id', after));
    return query.orderBy(rank, 'desc').orderBy('pins.id', 'desc').limit(limit + 1).execute();
  }

  /**
   * The viewer's own matching boards, best first; with no text, all of them newest first. Fetches
   * `limit + 1`.
   */
  async searchOwnBoards(viewer: Viewer, text: string | null, after: RankCursor | null, limit: number): Promise<RankedBoard[]> {
    const rank = rankOf('boards.search_vector', text);
    let query = this.db
      .selectFrom('boards')
      .selectAll('boards')
      .select(sql<string>`${rank}::text`.as('rank'))
      .where('boards.owner_id', '=', viewer.userId)
      .where(boardReadableBy(viewer, 'boards', 'boards'));
    if (text !== null) query = query.where(sql<SqlBool>`boards.search_vector @@ ${tsquery(text)}`);
    if (after) query = query.where(afterCursor(rank, 'boards.id', after));
    return query.orderBy(rank, 'desc').orderBy('boards.id', 'desc').limit(limit + 1).execute();
  }
}
