// SQL for the demo experiments' simulated traffic: visitor accounts that cannot sign in, their
// exposures at chosen times, and the experiments' start moved back to the first of them.
import { sql } from 'kysely';
import type { Queryable } from '../../platform/db/database.js';

export interface DemoExposure {
  experimentId: string;
  userId: string;
  variationIndex: number;
  at: Date;
}

export class DemoExperimentsRepository {
  constructor(private readonly db: Queryable) {}

  /** Accounts for simulated visitors; their password hash matches no password. */
  async insertVisitors(visitors: ReadonlyArray<{ id: string; username: string }>): Promise<void> {
    if (visitors.length === 0) return;
    await this.db
      .insertInto('users')
      .values(visitors.map((v) => ({ id: v.id, username: v.username, email: `${v.username}@demo.corkboard.invalid`, password_hash: '!' })))
      .execute();
  }

  async insertExposures(exposures: readonly DemoExposure[]): Promise<void> {
    for (let start = 0; start < exposures.length; start += 1000) {
      await this.db
        .insertInto('experiment_exposures')
        .values(
          exposures.slice(start, start + 1000).map((e) => ({
            experiment_id: e.experimentId,
            user_id: e.userId,
            variation_index: e.variationIndex,
            first_exposed_at: e.at,
          })),
        )
        .onConflict((conflict) => conflict.columns(['experiment_id', 'user_id']).doNothing())
        .execute();
    }
  }

  /** The demo experiments started `startedAt` (their traffic reaches back that far). */
  async backdateStart(experimentIds: readonly string[], startedAt: Date): Promise<void> {
    if (experimentIds.length === 0) return;
    await this.db
      .updateTable('experiments')
      .set({ phase_started_at: startedAt, updated_at: sql`now()` })
      .where('id', 'in', experimentIds)
      .execute();
  }
}
