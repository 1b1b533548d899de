// SQL for exposures: the first time each user was shown a variation of an experiment. One row per
// (experiment, user), kept by the primary key; later exposures are ignored (ON CONFLICT DO NOTHING),
// so concurrent first reads in several processes still leave exactly one row.
import { sql } from 'kysely';
import type { Queryable } from '../platform/db/database.js';

export interface Exposure {
  experimentId: string;
  userId: string;
  variationIndex: number;
}

export class ExposureRepository {
  constructor(private readonly db: Queryable) {}

  /** Stores the exposures not already stored, in one statement; answers how many were new. */
  async insertFirstExposures(exposures: readonly Exposure[]): Promise<number> {
    if (exposures.length === 0) return 0;
    const result = await this.db
      .insertInto('experiment_exposures')
      .columns(['experiment_id', 'user_id', 'variation_index'])
      .expression(
        sql`SELECT * FROM unnest(${exposures.map((e) => e.experimentId)}::bigint[], ${exposures.map((e) => e.userId)}::bigint[], ${exposures.map((e) => e.variationIndex)}::smallint[])`,
      )
      .onConflict((conflict) => conflict.columns(['experiment_id', 'user_id']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0);
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
