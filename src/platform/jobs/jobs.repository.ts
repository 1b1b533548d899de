// SQL of the embedded job queue. Jobs are claimed with FOR UPDATE SKIP LOCKED and leased: a worker
// that dies mid-job leaves a lease that expires, and the job runs again.
import { sql } from 'kysely';
import type { Db, Queryable } from '../db/database.js';
import type { DeadJob, JobCounts } from './job-queue.js';

export interface ClaimedJob {
  id: string;
  name: string;
  payload: unknown;
  attempts: number;
  max_attempts: number;
  backoff_ms: number;
}

export class JobsRepository {
  constructor(private readonly db: Db) {}

  async insert(
    job: { name: string; payload: unknown; dedupeKey?: string; delayMs?: number; maxAttempts: number; backoffMs: number },
    db: Queryable = this.db,
  ): Promise<void> {
    await db
      .insertInto('jobs')
      .values({
        name: job.name,
        payload: JSON.stringify(job.payload),
        dedupe_key: job.dedupeKey ?? null,
        max_attempts: job.maxAttempts,
        backoff_ms: job.backoffMs,
        run_at: sql<Date>`now() + make_interval(secs => ${(job.delayMs ?? 0) / 1000})`,
      })
      .onConflict((conflict) => conflict.column('dedupe_key').doNothing())
      .execute();
  }

  /** Leases up to `limit` due jobs (waiting, or active with an expired lease) for `leaseMs`. */
  async claim(limit: number, leaseMs: number): Promise<ClaimedJob[]> {
    const result = await sql<ClaimedJob>`
      UPDATE jobs SET status = 'active', attempts = attempts + 1,
        locked_until = now() + make_interval(secs => ${leaseMs / 1000})
      WHERE id IN (
        SELECT id FROM jobs
        WHERE status <> 'dead' AND run_at <= now() AND (status = 'waiting' OR locked_until < now())
        ORDER BY run_at, id
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED
      )
      RETURNING id::text AS id, name, payload, attempts, max_attempts, backoff_ms
    `.execute(this.db);
    return result.rows;
  }

  async complete(id: string): Promise<void> {
    await this.db.deleteFrom('jobs').where('id', '=', id).execute();
  }

  /** Schedules the next attempt, or marks the job dead when it has had them all. */
  async fail(job: ClaimedJob, error: string): Promise<'retry' | 'dead'> {
    if (job.attempts >= job.max_attempts) {
      await this.db.updateTable('jobs').set({ status: 'dead', last_error: error, locked_until: null }).where('id', '=', job.id).execute();
      return 'dead';
    }
    const delayMs = job.backoff_ms * 2 ** (job.attempts - 1);
    await this.db
      .updateTable('jobs')
      .set({
        status: 'waiting',
        last_error: error,
        locked_until: null,
        run_at: sql<Date>`now() + make_interval(secs => ${delayMs / 1000})`,
      })
      .where('id', '=', job.id)
      .execute();
    return 'retry';
  }

  async counts(): Promise<JobCounts> {
    const result = await sql<{ waiting: number; active: number; delayed: number; dead: number }>`
      SELECT
        count(*) FILTER (WHERE status = 'waiting' AND run_at <= now())::int AS waiting,
        count(*) FILTER (WHERE status = 'active')::int AS active,
        count(*) FILTER (WHERE status = 'waiting' AND run_at > now())::int AS delayed,
        count(*) FILTER (WHERE status = 'dead')::int AS dead
      FROM jobs
    `.execute(this.db);
    return result.rows[0] ?? { waiting: 0, active: 0, delayed: 0, dead: 0 };
  }

  async dead(limit: number): Promise<DeadJob[]> {
    const rows = await this.db
      .selectFrom('jobs')
      .select(['id', 'name', 'payload', 'attempts', 'last_error'])
      .where('status', '=', 'dead')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((row) => ({ id: row.id, name: row.name, payload: row.payload, attempts: row.attempts, error: row.last_error }));
  }

  async retryDead(id: string): Promise<boolean> {
    const result = await this.db
      .updateTable('jobs')
      .set({ status: 'waiting', attempts: 0, run_at: sql<Date>`now()` })
      .where('id', '=', id)
      .where('status', '=', 'dead')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }
}
