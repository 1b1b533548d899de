// Checks every counter column against the rows it counts, with one set-based query per counter.
// Definitions: a user's pin_count counts the pins they own (created and saved, as Pinterest's
// user_account.pin_count does), public_* counts only those on boards everyone may read
// (boardReadableByEveryone); following_count counts the users they follow; a pin's save_count counts
// the pins whose parent_pin_id is that pin.
import { sql, type RawBuilder } from 'kysely';
import type { Queryable } from '../platform/db/database.js';
import { boardReadableByEveryone } from '../boards/board-visibility.sql.js';

const CHECKS: Record<string, RawBuilder<{ wrong: number }>> = {
  'users.board_count': sql`
    SELECT count(*)::int AS wrong FROM users u
    LEFT JOIN (SELECT owner_id, count(*) AS n FROM boards GROUP BY owner_id) c ON c.owner_id = u.id
    WHERE u.board_count <> coalesce(c.n, 0)`,
  'users.public_board_count': sql`
    SELECT count(*)::int AS wrong FROM users u
    LEFT JOIN (SELECT owner_id, count(*) AS n FROM boards WHERE ${boardReadableByEveryone('boards')} GROUP BY owner_id) c
      ON c.owner_id = u.id
    WHERE u.public_board_count <> coalesce(c.n, 0)`,
  'users.pin_count': sql`
    SELECT count(*)::int AS wrong FROM users u
    LEFT JOIN (SELECT owner_id, count(*) AS n FROM pins GROUP BY owner_id) c ON c.owner_id = u.id
    WHERE u.pin_count <> coalesce(c.n, 0)`,
  'users.public_pin_count': sql`
    SELECT count(*)::int AS wrong FROM users u
    LEFT JOIN (
      SELECT p.owner_id, count(*) AS n FROM pins p JOIN boards b ON b.id = p.board_id
      WHERE ${boardReadableByEveryone('b')} GROUP BY p.owner_id
    ) c ON c.owner_id = u.id
    WHERE u.public_pin_count <> coalesce(c.n, 0)`,
  'users.follower_count': sql`
    SELECT count(*)::int AS wrong FROM users u
    LEFT JOIN (SELECT followee_id, count(*) AS n FROM user_follows GROUP BY followee_id) c ON c.followee_id = u.id
    WHERE u.follower_count <> coalesce(c.n, 0)`,
  'users.following_count': sql`
    SELECT count(*)::int AS wrong FROM users u
    LEFT JOIN (SELECT follower_id, count(*) AS n FROM user_follows GROUP BY follower_id) c ON c.follower_id = u.id
    WHERE u.following_count <> coalesce(c.n, 0)`,
  'boards.pin_count': sql`
    SELECT count(*)::int AS wrong FROM boards b
    LEFT JOIN (SELECT board_id, count(*) AS n FROM pins GROUP BY board_id) c ON c.board_id = b.id
    WHERE b.pin_count <> coalesce(c.n, 0)`,
  'boards.follower_count': sql`
    SELECT count(*)::int AS wrong FROM boards b
    LEFT JOIN (SELECT board_id, count(*) AS n FROM board_follows GROUP BY board_id) c ON c.board_id = b.id
    WHERE b.follower_count <> coalesce(c.n, 0)`,
  'boards.collaborator_count': sql`
    SELECT count(*)::int AS wrong FROM boards b
    LEFT JOIN (SELECT board_id, count(*) AS n FROM board_collaborators GROUP BY board_id) c ON c.board_id = b.id
    WHERE b.collaborator_count <> coalesce(c.n, 0)`,
  'board_sections.pin_count': sql`
    SELECT count(*)::int AS wrong FROM board_sections s
    LEFT JOIN (SELECT board_section_id, count(*) AS n FROM pins WHERE board_section_id IS NOT NULL GROUP BY board_section_id) c
      ON c.board_section_id = s.id
    WHERE s.pin_count <> coalesce(c.n, 0)`,
  'pins.save_count': sql`
    SELECT count(*)::int AS wrong FROM pins p
    LEFT JOIN (SELECT parent_pin_id, count(*) AS n FROM pins WHERE parent_pin_id IS NOT NULL GROUP BY parent_pin_id) c
      ON c.parent_pin_id = p.id
    WHERE p.save_count <> coalesce(c.n, 0)`,
};

/** Rows whose counter differs from what the rows imply, per counter ("table.column" -> rows wrong). */
export async function counterMismatches(db: Queryable): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const [counter, query] of Object.entries(CHECKS)) {
    result[counter] = (await query.execute(db)).rows[0]?.wrong ?? 0;
  }
  return result;
}
