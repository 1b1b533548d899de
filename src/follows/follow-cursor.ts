// Follow lists page newest follow first. A cursor is the follow's time and the other party's id
// (which breaks ties). The time travels as an ISO string with microseconds, PostgreSQL's precision:
// a JavaScript Date would drop them, and rows within one millisecond would repeat or vanish.
import { AppError } from '../platform/errors.js';
import { isValidId } from '../platform/ids.js';
import type { CursorKey } from '../platform/http/pagination.js';

export interface FollowCursor {
  /** `YYYY-MM-DDTHH:MM:SS.ffffffZ`, UTC. */
  followedAt: string;
  id: string;
}

const MICROSECOND_ISO = /^((?:19|[2-9]\d)\d{2}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\.\d{6}Z$/;

function isValidFollowTime(value: string): boolean {
  const seconds = MICROSECOND_ISO.exec(value)?.[1];
  if (!seconds) return false;
  // Round-tripping through Date rejects impossible dates (2026-02-30) that PostgreSQL would refuse.
  const parsed = new Date(`${seconds}Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(seconds);
}

/** Validates a decoded bookmark before any of it reaches SQL; INVALID_BOOKMARK (400) otherwise. */
export function toFollowCursor(key: CursorKey | null): FollowCursor | null {
  if (key === null) return null;
  const [followedAt, id] = key;
  if (followedAt === undefined || id === undefined || !isValidFollowTime(followedAt) || !isValidId(id)) {
    throw new AppError('INVALID_BOOKMARK');
  }
  return { followedAt, id };
}

export function followCursorKey(row: { followed_at: string; id: string }): CursorKey {
  return [row.followed_at, row.id];
}
