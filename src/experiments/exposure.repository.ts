// SQL for exposures: the first time each user was shown a variation of an experiment.
// - experiment_exposure_events is the log the request path appends to (see exposure-pipeline.ts);
// - experiment_exposures holds one row per (experiment, user), kept by the primary key and written
//   from the log; later exposures are ignored (ON CONFLICT DO NOTHING), so an event read twice, or
//   logged by several processes, still leaves exactly one row and the first variation wins.
import { sql } from 'kysely';
import type { Queryable } from '../platform/db/database.js';
import type { LogRow } from '../platform/changes/log.repository.js';

export interface Exposure {
  experimentId: string;
  userId: string;
  variationIndex: number;
}

/** A row of experiment_exposure_events as a log reader sees it. */
export type ExposureEventRow = LogRow & {
  experiment_id: string;
  user_id: string;
  variation_index: number;
  exposed_at: Date | string;
};

export class ExposureRepository {
  constructor(private readonly db: Queryable) {}

  /**
   * Appends exposure events, in one statement, for the pairs not already in experiment_exposures
   * (a user exposed long ago adds nothing to the log); answers how many were appended.
   */
  async appendEvents(exposures: readonly Exposure[]): Promise<number> {
    if (exposures.length === 0) return 0;
    const result = await sql`
      INSERT INTO experiment_exposure_events (experiment_id, user_id, variation_index)
      SELECT e.experiment_id, e.user_id, e.variation_index
      FROM unnest(${exposures.map((e) => e.experimentId)}::bigint[], ${exposures.map((e) => e.userId)}::bigint[],
        ${exposures.map((e) => e.variationIndex)}::smallint[]) AS e (experiment_id, user_id, variation_index)
      WHERE NOT EXISTS (
        SELECT 1 FROM experiment_exposures x WHERE x.experiment_id = e.experiment_id AND x.user_id = e.user_id
      )
    `.execute(this.db);
    return Number(result.numAffectedRows ?? 0);
  }

  /**
   * Stores the exposures not already stored, in one statement, keeping the first of each pair given
   * (log order); answers how many were new. Exposures of users or experiments deleted meanwhile are
   * skipped. Without `exposedAt` the database's clock is used.
   */
  async insertFirstExposures(exposures: ReadonlyArray<Exposure & { exposedAt?: Date }>): Promise<number> {
    const first = new Map<string, Exposure & { exposedAt?: Date }>();
    for (const exposure of exposures) {
      const pair = `${exposure.experimentId}:${exposure.userId}`;
      if (!first.has(pair)) first.set(pair, exposure);
    }
    const rows = [...first.values()];
    if (rows.length === 0) return 0;
    const result = await sql`
      INSERT INTO experiment_exposures (experiment_id, user_id, variation_index, first_exposed_at)
      SELECT e.experiment_id, e.user_id, e.variation_index, coalesce(e.exposed_at, now())
      FROM unnest(${rows.map((e) => e.experimentId)}::bigint[], ${rows.map((e) => e.userId)}::bigint[],
        ${rows.map((e) => e.variationIndex)}::smallint[], ${rows.map((e) => e.exposedAt?.toISOString() ?? null)}::timestamptz[])
        AS e (experiment_id, user_id, variation_index, exposed_at)
      WHERE EXISTS (SELECT 1 FROM users u WHERE u.id = e.user_id)
        AND EXISTS (SELECT 1 FROM experiments x WHERE x.id = e.experiment_id)
      ON CONFLICT (experiment_id, user_id) DO NOTHING
    `.execute(this.db);
    return Number(result.numAffectedRows ?? 0);
  }

  /** Deletes log rows older than `days` that the named reader has passed. */
  async purgeEvents(consumerName: string, olderThanDays: number): Promise<number> {
    const result = await sql`
      DELETE FROM experiment_exposure_events e
      USING log_consumers c
      WHERE c.name = ${consumerName} AND (e.xid, e.id) <= (c.last_xid, c.last_id)
        AND e.exposed_at < now() - make_interval(days => ${olderThanDays})
    `.execute(this.db);
    return Number(result.numAffectedRows ?? 0);
  }

  /** Exposures of one experiment per variation (tests and the admin view). */
  async countByVariation(experimentId: string): Promise<Map<number, number>> {
    const rows = await this.db
      .selectFrom('experiment_exposures')
      .select(['variation_index', sql<number>`count(*)::int`.as('count')])
      .where('experiment_id', '=', experimentId)
      .groupBy('variation_index')
      .execute();
    return new Map(rows.map((row) => [row.variation_index, row.count]));
  }
}
