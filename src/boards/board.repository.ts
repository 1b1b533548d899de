// SQL for boards: lookups with the viewer's relation, the viewer's board list, the details a board
// card shows (owner, cover, thumbnails), and the writes that keep every counter exact. Writes that
// depend on a board's privacy lock the board row first (SELECT ... FOR UPDATE), so a concurrent pin
// write on the same board (which locks the row through its foreign key or its pin_count update)
// sees either the old privacy and the old counters or the new ones, never a mix.
import { sql, type Transaction } from 'kysely';
import type { Queryable } from '../platform/db/database.js';
import type { BoardPrivacy, BoardRow, BoardSectionRow, CollaboratorRole, Database } from '../platform/db/schema.js';
import type { PageRequest } from '../platform/http/pagination.js';
import type { Viewer } from '../platform/http/viewer.js';
import { boardReadableBy } from './board-visibility.sql.js';
import { readableByEveryone } from './board-access.js';

export interface BoardWithRelation {
  board: BoardRow;
  /** The viewer's collaborator role on the board, or null. */
  collaboratorRole: CollaboratorRole | null;
}

/** What a board card shows beyond the board row itself. */
export interface BoardCardDetails {
  ownerUsername: string;
  /** Image capabilities (their URLs) of the board's newest pins, newest first (at most THUMBNAIL_COUNT). */
  imageCapabilities: string[];
}

export const THUMBNAIL_COUNT = 5;

export const BOARD_COLUMNS = [
  'id',
  'owner_id',
  'name',
  'description',
  'privacy',
  'pin_count',
  'follower_count',
  'collaborator_count',
  'created_at',
  'board_pins_modified_at',
] as const satisfies ReadonlyArray<keyof BoardRow>;

/** Each collaborator's role on one board, by user id. */
export type CollaboratorRoles = Record<string, CollaboratorRole>;

export interface NewBoard {
  id: string;
  owner_id: string;
  name: string;
  description: string | null;
  privacy: BoardPrivacy;
}

export interface BoardChanges {
  name?: string;
  description?: string | null;
  privacy?: BoardPrivacy;
}

/** Runs `work` in a transaction, or inside the caller's when `db` already is one. */
export async function inTransaction<T>(db: Queryable, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return work(db as Transaction<Database>);
  return db.transaction().execute(work);
}

export class BoardRepository {
  constructor(private readonly db: Queryable) {}

  /** The board and the viewer's collaborator role, in one statement. */
  async findWithRelation(boardId: string, viewerId: string | null): Promise<BoardWithRelation | undefined> {
    const row = await this.db
      .selectFrom('boards')
      .leftJoin('board_collaborators as bc', (join) =>
        join.onRef('bc.board_id', '=', 'boards.id').on('bc.user_id', '=', viewerId ?? '0'),
      )
      .selectAll('boards')
      .select('bc.role as collaborator_role')
      .where('boards.id', '=', boardId)
      .executeTakeFirst();
    if (!row) return undefined;
    const { collaborator_role, ...board } = row;
    return { board, collaboratorRole: collaborator_role };
  }

  /** Board rows by id (no viewer involved: for the board cache); missing ids are left out. */
  async findByIds(boardIds: readonly string[]): Promise<Map<string, BoardRow>> {
    if (boardIds.length === 0) return new Map();
    const rows = await this.db.selectFrom('boards').select(BOARD_COLUMNS).where('id', 'in', [...new Set(boardIds)]).execute();
    return new Map(rows.map((row) => [row.id, row]));
  }

  /** The collaborators' roles of each board, by board id (an empty record for a board without any). */
  async findCollaboratorRoles(boardIds: readonly string[]): Promise<Map<string, CollaboratorRoles>> {
    const roles = new Map<string, CollaboratorRoles>(boardIds.map((id) => [id, {}]));
    if (boardIds.length === 0) return roles;
    const rows = await this.db
      .selectFrom('board_collaborators')
      .select(['board_id', 'user_id', 'role'])
      .where('board_id', 'in', [...new Set(boardIds)])
      .execute();
    for (const row of rows) roles.get(row.board_id)![row.user_id] = row.role;
    return roles;
  }

  /** Sections by id, whichever boards they are on, in one statement; missing ids are skipped. */
  async findSectionsByIds(sectionIds: readonly string[]): Promise<BoardSectionRow[]> {
    if (sectionIds.length === 0) return [];
    return this.db.selectFrom('board_sections').selectAll().where('id', 'in', [...new Set(sectionIds)]).execute();
  }

  async findSection(boardId: string, sectionId: string): Promise<BoardSectionRow | undefined> {
    return this.db
      .selectFrom('board_sections')
      .selectAll()
      .where('id', '=', sectionId)
      .where('board_id', '=', boardId)
      .executeTakeFirst();
  }

  /**
   * Boards the viewer owns or collaborates on that their token may read, newest first, restricted
   * to `privacies`. Fetches `page.limit + 1` rows.
   */
  async listForMember(viewer: Viewer, privacies: readonly BoardPrivacy[], page: PageRequest): Promise<BoardRow[]> {
    if (privacies.length === 0) return [];
    const after = page.after?.[0];
    return this.db
      .selectFrom('boards')
      .selectAll()
      .where((eb) =>
        eb.or([
          eb('boards.owner_id', '=', viewer.userId),
          eb('boards.id', 'in', eb.selectFrom('board_collaborators').select('board_id').where('user_id', '=', viewer.userId)),
        ]),
      )
      .where(boardReadableBy(viewer, 'boards', 'boards'))
      .where('boards.privacy', 'in', privacies)
      .$if(after !== undefined, (qb) => qb.where('boards.id', '<', after ?? '0'))
      .orderBy('boards.id', 'desc')
      .limit(page.limit + 1)
      .execute();
  }

  /** Owner usernames and newest pin images of many boards, in one statement. */
  async findCardDetails(boardIds: readonly string[]): Promise<Map<string, BoardCardDetails>> {
    const details = new Map<string, BoardCardDetails>();
    if (boardIds.length === 0) return details;
    const rows = await this.db
      .selectFrom('boards')
      .innerJoin('users', 'users.id', 'boards.owner_id')
      .select([
        'boards.id',
        'users.username',
        sql<string[]>`ARRAY(
          SELECT i.capability FROM pins p JOIN images i ON i.id = p.image_id
          WHERE p.board_id = boards.id ORDER BY p.id DESC LIMIT ${THUMBNAIL_COUNT}
        )`.as('image_capabilities'),
      ])
      .where('boards.id', 'in', [...new Set(boardIds)])
      .execute();
    for (const row of rows) details.set(row.id, { ownerUsername: row.username, imageCapabilities: row.image_capabilities });
    return details;
  }

  /** Inserts a board and counts it for its owner. A duplicate name throws boards_owner_name_key. */
  async insert(board: NewBoard): Promise<BoardRow> {
    return inTransaction(this.db, async (trx) => {
      const created = await trx.insertInto('boards').values(board).returningAll().executeTakeFirstOrThrow();
      await trx
        .updateTable('users')
        .set((eb) => ({
          board_count: eb('board_count', '+', 1),
          public_board_count: eb('public_board_count', '+', readableByEveryone(board.privacy) ? 1 : 0),
        }))
        .where('id', '=', board.owner_id)
        .execute();
      return created;
    });
  }

  /**
   * Applies `changes` and, when the board becomes or stops being PUBLIC, moves the owner's
   * public_board_count and every pinner's public_pin_count with it. Undefined when the board is gone.
   */
  async update(boardId: string, changes: BoardChanges): Promise<BoardRow | undefined> {
    return inTransaction(this.db, async (trx) => {
      const before = await lockBoard(trx, boardId);
      if (!before) return undefined;
      const set: BoardChanges = {};
      if (changes.name !== undefined) set.name = changes.name;
      if (changes.description !== undefined) set.description = changes.description;
      if (changes.privacy !== undefined) set.privacy = changes.privacy;
      if (Object.keys(set).length === 0) return before;
      const after = await trx.updateTable('boards').set(set).where('id', '=', boardId).returningAll().executeTakeFirstOrThrow();
      const wasPublic = readableByEveryone(before.privacy);
      const isPublic = readableByEveryone(after.privacy);
      if (wasPublic !== isPublic) {
        const sign = isPublic ? 1 : -1;
        await trx
          .updateTable('users')
          .set((eb) => ({ public_board_count: eb('public_board_count', '+', sign) }))
          .where('id', '=', before.owner_id)
          .execute();
        await sql`
          UPDATE users SET public_pin_count = users.public_pin_count + ${sign} * counted.n
          FROM (SELECT owner_id, count(*)::int AS n FROM pins WHERE board_id = ${boardId} GROUP BY owner_id) AS counted
          WHERE users.id = counted.owner_id
        `.execute(trx);
      }
      return after;
    });
  }

  /**
   * Deletes a board with its sections and pins (the foreign keys cascade), and takes back what
   * they counted: the owner's board counts, every pinner's pin counts, and the save_count of pins
   * elsewhere that pins on this board were saved from. Undefined when the board is already gone.
   */
  async delete(boardId: string): Promise<BoardRow | undefined> {
    return inTransaction(this.db, async (trx) => {
      const board = await lockBoard(trx, boardId);
      if (!board) return undefined;
      const isPublic = readableByEveryone(board.privacy);
      // GREATEST guards the CHECK (save_count >= 0): a missed decrement elsewhere must not make the
      // board impossible to delete.
      await sql`
        UPDATE pins SET save_count = GREATEST(pins.save_count - saved.n, 0)
        FROM (
          SELECT parent_pin_id, count(*)::int AS n FROM pins
          WHERE board_id = ${boardId} AND parent_pin_id IS NOT NULL GROUP BY parent_pin_id
        ) AS saved
        WHERE pins.id = saved.parent_pin_id AND pins.board_id <> ${boardId}
      `.execute(trx);
      await sql`
        UPDATE users SET
          pin_count = users.pin_count - counted.n,
          public_pin_count = users.public_pin_count - ${isPublic ? sql`counted.n` : sql`0`}
        FROM (SELECT owner_id, count(*)::int AS n FROM pins WHERE board_id = ${boardId} GROUP BY owner_id) AS counted
        WHERE users.id = counted.owner_id
      `.execute(trx);
      await trx
        .updateTable('users')
        .set((eb) => ({
          board_count: eb('board_count', '-', 1),
          public_board_count: eb('public_board_count', '-', isPublic ? 1 : 0),
        }))
        .where('id', '=', board.owner_id)
        .execute();
      await trx.deleteFrom('boards').where('id', '=', boardId).execute();
      return board;
    });
  }
}

/** Reads a board and holds its row lock until the transaction ends. */
async function lockBoard(trx: Transaction<Database>, boardId: string): Promise<BoardRow | undefined> {
  return trx.selectFrom('boards').selectAll().where('id', '=', boardId).forUpdate().executeTakeFirst();
}
