// Reads the append-only logs (change_log, engagement_events, experiment_exposure_events) in the
// order their transactions became final, and keeps durable readers' positions in log_consumers.
//
// Why (xid, id) and not id alone: ids are drawn when a row is written, but transactions commit in
// another order, so a reader that had passed id 11 could miss id 10 committing later. A row is read
// only once every transaction with a smaller xid has ended (xid < the snapshot's xmin), and rows are
// read in (xid, id) order, so no later commit can land behind the reader's position. "Every
// transaction": of this database only (see FINAL_BOUND).
import { sql } from 'kysely';
import type { Db, Queryable } from '../db/database.js';

/**
 * The smallest transaction id that may still write rows this reader has not seen: the oldest
 * transaction running at the statement's snapshot, ignoring transactions known to run in another
 * database of the cluster (they never write here, and a long load or an idle transaction there must not
 * stall the feed here). A transaction that ended after the snapshot is not in pg_stat_activity any more
 * and still counts: the next read passes it.
 */
const FINAL_BOUND = sql<string>`
  SELECT coalesce(min(running.xid), pg_snapshot_xmax(pg_current_snapshot()))
  FROM pg_snapshot_xip(pg_current_snapshot()) AS running (xid)
  WHERE NOT EXISTS (
    SELECT 1 FROM pg_stat_activity activity
    WHERE activity.backend_xid::text = (running.xid::text::numeric % 4294967296)::text
      AND activity.datname IS DISTINCT FROM current_database()
  )`;

export type LogTable = 'change_log' | 'engagement_events' | 'experiment_exposure_events';

export interface LogPosition {
  xid: string;
  id: string;
}

export const LOG_START: LogPosition = { xid: '0', id: '0' };

export interface LogRow {
  id: string;
  xid: string;
  [column: string]: unknown;
}

export class LogRepository {
  constructor(private readonly db: Db) {}

  /** Up to `limit` final rows after `after`, in (xid, id) order. */
  async readAfter<Row extends LogRow>(table: LogTable, after: LogPosition, limit: number, db: Queryable = this.db): Promise<Row[]> {
    const result = await sql<Row>`
      SELECT log.*, log.xid::text AS xid, log.id::text AS id FROM ${sql.table(table)} AS log
      WHERE (log.xid, log.id) > (${after.xid}::xid8, ${after.id}::bigint)
        AND log.xid < (${FINAL_BOUND})
      ORDER BY log.xid, log.id
      LIMIT ${limit}
    `.execute(db);
    return result.rows;
  }

  /**
   * change_log rows by id, not in commit order: those above `afterId` and those among `alsoIds`
   * (ids passed earlier whose transactions had not committed yet), up to `limit`, by id (the number:
   * `id` alone would name the text column, and sort 100 before 99). Only the
   * kind is read, except for the `kind` asked for (its payload too). For readers that need no order.
   */
  async readChangesById(afterId: string, alsoIds: readonly string[], kind: string, limit: number): Promise<Array<{ id: string; kind: string; payload: Record<string, unknown> | null; created_at: Date }>> {
    const result = await sql<{ id: string; kind: string; payload: Record<string, unknown> | null; created_at: Date }>`
      SELECT id::text AS id, kind, CASE WHEN kind = ${kind} THEN payload END AS payload, created_at
      FROM change_log
      WHERE id > ${afterId}::bigint OR id = ANY(${[...alsoIds]}::bigint[])
      ORDER BY change_log.id
      LIMIT ${limit}
    `.execute(this.db);
    return result.rows;
  }

  /**
   * The transactions of this database that hold a transaction id now (they may have written change_log
   * rows not committed yet), each as "pid:start"; and, with `among`, which of those are still running.
   */
  async openTransactions(among?: readonly string[]): Promise<string[]> {
    const result = await sql<{ key: string }>`
      SELECT pid::text || ':' || extract(epoch FROM xact_start)::text AS key FROM pg_stat_activity
      WHERE datname = current_database() AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()
    `.execute(this.db);
    const open = result.rows.map((row) => row.key);
    return among === undefined ? open : open.filter((key) => among.includes(key));
  }

  /** The highest id in change_log (0 when empty). */
  async maxChangeId(): Promise<string> {
    const result = await sql<{ id: string }>`SELECT coalesce(max(id), 0)::text AS id FROM change_log`.execute(this.db);
    return result.rows[0]?.id ?? '0';
  }

  /** The position after every row already final: a new in-process reader starts here. */
  async tail(table: LogTable, db: Queryable = this.db): Promise<LogPosition> {
    const result = await sql<{ xid: string | null; id: string | null }>`
      SELECT xid::text AS xid, id::text AS id FROM ${sql.table(table)}
      WHERE xid < (${FINAL_BOUND})
      ORDER BY xid DESC, id DESC LIMIT 1
    `.execute(db);
    const row = result.rows[0];
    return row?.xid && row.id ? { xid: row.xid, id: row.id } : LOG_START;
  }

  /**
   * Takes a durable reader for the transaction and answers its position, creating it at `start` the
   * first time; undefined when another process holds it (one reader of a name works at a time).
   * An advisory lock rather than a row lock: an idle poll then takes no transaction id, so it never
   * holds back the other readers of the log (see FINAL_BOUND).
   */
  async lockConsumer(tx: Queryable, name: string, start: () => Promise<LogPosition>): Promise<LogPosition | undefined> {
    const lock = await sql<{ taken: boolean }>`
      SELECT pg_try_advisory_xact_lock(hashtext('corkboard.log_consumer'), hashtext(${name})) AS taken
    `.execute(tx);
    if (!lock.rows[0]?.taken) return undefined;
    const existing = await sql<{ last_xid: string; last_id: string }>`
      SELECT last_xid::text AS last_xid, last_id::text AS last_id FROM log_consumers WHERE name = ${name}
    `.execute(tx);
    const row = existing.rows[0];
    if (row) return { xid: row.last_xid, id: row.last_id };
    const position = await start();
    await sql`
      INSERT INTO log_consumers (name, last_xid, last_id) VALUES (${name}, ${position.xid}::xid8, ${position.id})
      ON CONFLICT (name) DO NOTHING
    `.execute(tx);
    return position;
  }

  /** True when committed rows lie after `after` that a read cannot pass yet (an older transaction is still open). */
  async hasHeldBack(table: LogTable, after: LogPosition): Promise<boolean> {
    const result = await sql<{ held: boolean }>`
      SELECT EXISTS (
        SELECT 1 FROM ${sql.table(table)} AS log WHERE (log.xid, log.id) > (${after.xid}::xid8, ${after.id}::bigint)
      ) AS held
    `.execute(this.db);
    return result.rows[0]?.held ?? false;
  }

  async saveConsumer(tx: Queryable, name: string, position: LogPosition): Promise<void> {
    await sql`
      UPDATE log_consumers SET last_xid = ${position.xid}::xid8, last_id = ${position.id}, updated_at = now()
      WHERE name = ${name}
    `.execute(tx);
  }

  /** How far each durable reader is behind the newest row, for /metrics. */
  async consumerLag(table: LogTable, name: string): Promise<number> {
    const result = await sql<{ lag: number }>`
      SELECT count(*)::int AS lag FROM ${sql.table(table)} t, log_consumers c
      WHERE c.name = ${name} AND (t.xid, t.id) > (c.last_xid, c.last_id)
    `.execute(this.db);
    return result.rows[0]?.lag ?? 0;
  }

  /** Deletes change_log rows older than `days` (every durable reader is long past them). */
  async purgeChanges(olderThanDays: number): Promise<number> {
    const result = await this.db
      .deleteFrom('change_log')
      .where('created_at', '<', sql<Date>`now() - make_interval(days => ${olderThanDays})`)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
