// Search results page by relevance, then id. A cursor is the last result's rank and id. Ranks are
// ts_rank's float rounded to six significant digits as a PostgreSQL numeric (see search.repository.ts):
// its text form is exact, so the next page compares with the very value it was ordered by.
import { AppError } from '../platform/errors.js';
import { isValidId } from '../platform/ids.js';
import type { CursorKey } from '../platform/http/pagination.js';

export interface RankCursor {
  rank: string;
  id: string;
}

const RANK_TEXT = /^\d{1,20}(\.\d{1,40})?$/;

/** Validates a decoded bookmark before any of it reaches SQL; INVALID_BOOKMARK (400) otherwise. */
export function toRankCursor(key: CursorKey | null): RankCursor | null {
  if (key === null) return null;
  const [rank, id] = key;
  if (rank === undefined || id === undefined || !RANK_TEXT.test(rank) || !isValidId(id)) {
    throw new AppError('INVALID_BOOKMARK');
  }
  return { rank, id };
}

export function rankCursorKey(row: { rank: string; id: string }): CursorKey {
  return [row.rank, row.id];
}
