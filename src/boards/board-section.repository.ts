// SQL for board sections. Deleting a section keeps its pins on the board: the pins' foreign key
// sets board_section_id to NULL.
import { sql } from 'kysely';
import type { Queryable } from '../platform/db/database.js';
import type { BoardSectionRow } from '../platform/db/schema.js';
import type { PageRequest } from '../platform/http/pagination.js';

export class BoardSectionRepository {
  constructor(private readonly db: Queryable) {}

  /** A duplicate name on the board throws board_sections_board_name_key. */
  async insert(section: { id: string; board_id: string; name: string }): Promise<BoardSectionRow> {
    return this.db.insertInto('board_sections').values(section).returningAll().executeTakeFirstOrThrow();
  }

  /** Sections of a board in the order they were made; fetches `page.limit + 1` rows. */
  async list(boardId: string, page: PageRequest): Promise<BoardSectionRow[]> {
    const after = page.after?.[0];
    return this.db
      .selectFrom('board_sections')
      .selectAll()
      .where('board_id', '=', boardId)
      .$if(after !== undefined, (qb) => qb.where('id', '>', after ?? '0'))
      .orderBy('id', 'asc')
      .limit(page.limit + 1)
      .execute();
  }

  /**
   * The same page of several boards' sections in one statement (a LATERAL join runs list()'s scan once
   * per board); keyed by board id. The caller has checked that the viewer may read every board.
   */
  async listMany(boardIds: readonly string[], page: PageRequest): Promise<Map<string, BoardSectionRow[]>> {
    const pages = new Map<string, BoardSectionRow[]>();
    if (boardIds.length === 0) return pages;
    const after = page.after?.[0];
    const perBoard = this.db
      .selectFrom('board_sections')
      .selectAll()
      .where(sql<boolean>`board_sections.board_id = wanted.board_id`)
      .$if(after !== undefined, (qb) => qb.where('id', '>', after ?? '0'))
      .orderBy('id', 'asc')
      .limit(page.limit + 1);
    const rows = await this.db
      .selectFrom(sql<{ board_id: string }>`(SELECT unnest(${[...new Set(boardIds)]}::bigint[]) AS board_id)`.as('wanted'))
      .innerJoinLateral(perBoard.as('s'), (join) => join.onTrue())
      .selectAll('s')
      .orderBy('s.id', 'asc')
      .execute();
    for (const row of rows) pages.set(row.board_id, [...(pages.get(row.board_id) ?? []), row]);
    return pages;
  }

  async rename(boardId: string, sectionId: string, name: string): Promise<BoardSectionRow | undefined> {
    return this.db
      .updateTable('board_sections')
      .set({ name })
      .where('id', '=', sectionId)
      .where('board_id', '=', boardId)
      .returningAll()
      .executeTakeFirst();
  }

  async delete(boardId: string, sectionId: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('board_sections')
      .where('id', '=', sectionId)
      .where('board_id', '=', boardId)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}
