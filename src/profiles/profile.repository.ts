// SQL for a person's profile as someone else sees it: the boards they own and the pins they made or
// saved, each only where the viewer may read the board (the same policy as every list).
import type { Db } from '../platform/db/database.js';
import type { BoardRow } from '../platform/db/schema.js';
import type { PageRequest } from '../platform/http/pagination.js';
import type { Viewer } from '../platform/http/viewer.js';
import { boardReadableBy } from '../boards/board-visibility.sql.js';

export class ProfileRepository {
  constructor(private readonly db: Db) {}

  /** Boards `ownerId` owns that the viewer may read, newest first; fetches `page.limit + 1` rows. */
  async listBoardsOwnedBy(ownerId: string, viewer: Viewer, page: PageRequest): Promise<BoardRow[]> {
    const after = page.after?.[0];
    return this.db
      .selectFrom('boards')
      .selectAll()
      .where('boards.owner_id', '=', ownerId)
      .where(boardReadableBy(viewer, 'boards', 'boards'))
      .$if(after !== undefined, (qb) => qb.where('boards.id', '<', after ?? '0'))
      .orderBy('boards.id', 'desc')
      .limit(page.limit + 1)
      .execute();
  }

  /** Ids of the pins `ownerId` made or saved, on boards the viewer may read, newest first; `page.limit + 1`. */
  async listPinIdsOwnedBy(ownerId: string, viewer: Viewer, page: PageRequest): Promise<string[]> {
    const after = page.after?.[0];
    const rows = await this.db
      .selectFrom('pins')
      .innerJoin('boards', 'boards.id', 'pins.board_id')
      .select('pins.id')
      .where('pins.owner_id', '=', ownerId)
      .where(boardReadableBy(viewer, 'pins', 'boards'))
      .$if(after !== undefined, (qb) => qb.where('pins.id', '<', after ?? '0'))
      .orderBy('pins.id', 'desc')
      .limit(page.limit + 1)
      .execute();
    return rows.map((row) => row.id);
  }
}
