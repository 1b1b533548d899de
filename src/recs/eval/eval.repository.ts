// SQL for the offline evaluation: what the baselines need (the boards a user pins to, the most saved
// public pins of boards with given names) and every pin a user already has.
import { sql } from 'kysely';
import type { Queryable } from '../../platform/db/database.js';
import { boardReadableByEveryone } from '../../boards/board-visibility.sql.js';

export class EvalRepository {
  constructor(private readonly db: Queryable) {}

  /** Per user, the names of their boards with how many pins each holds. */
  async boardNamesOf(userIds: readonly string[]): Promise<Array<{ user_id: string; name: string; pins: number }>> {
    if (userIds.length === 0) return [];
    const result = await sql<{ user_id: string; name: string; pins: number }>`
      SELECT b.owner_id::text AS user_id, b.name, count(p.id)::int AS pins
      FROM boards b JOIN pins p ON p.board_id = b.id
      WHERE b.owner_id = ANY(${[...userIds]}::bigint[])
      GROUP BY b.owner_id, b.name`.execute(this.db);
    return result.rows;
  }

  /** The most saved original pins on PUBLIC boards named one of `names`, and the saves of all of them. */
  async mostSavedOnBoardsNamed(names: readonly string[], limit: number): Promise<{ pins: Array<{ id: string; saves: number }>; totalSaves: number }> {
    const top = await sql<{ id: string; saves: number }>`
      SELECT p.id::text AS id, p.save_count AS saves FROM pins p JOIN boards b ON b.id = p.board_id
      WHERE p.parent_pin_id IS NULL AND ${boardReadableByEveryone('b')} AND b.name = ANY(${[...names]}::text[])
      ORDER BY p.save_count DESC, p.id LIMIT ${limit}`.execute(this.db);
    const total = await sql<{ saves: string | null }>`
      SELECT sum(p.save_count)::text AS saves FROM pins p JOIN boards b ON b.id = p.board_id
      WHERE p.parent_pin_id IS NULL AND ${boardReadableByEveryone('b')} AND b.name = ANY(${[...names]}::text[])`.execute(this.db);
    return { pins: top.rows, totalSaves: Number(total.rows[0]?.saves ?? 0) };
  }

  /** Every pin each user has (created or saved), as the pin it is a copy of (itself for an original). */
  async pinsHeldBy(userIds: readonly string[]): Promise<Map<string, Set<string>>> {
    const held = new Map<string, Set<string>>();
    if (userIds.length === 0) return held;
    const result = await sql<{ user_id: string; pin_id: string }>`
      SELECT owner_id::text AS user_id, coalesce(parent_pin_id, id)::text AS pin_id FROM pins
      WHERE owner_id = ANY(${[...userIds]}::bigint[])`.execute(this.db);
    for (const row of result.rows) {
      const set = held.get(row.user_id) ?? new Set<string>();
      set.add(row.pin_id);
      held.set(row.user_id, set);
    }
    return held;
  }
}
