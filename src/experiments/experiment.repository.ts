// SQL for experiment definitions and the configuration version every API process polls. Every write
// runs in a transaction that first bumps experiment_config_version: that row lock serializes
// experiment writes (so the namespace overlap check sees concurrent starts) and the new version tells
// other processes to reload.
import { sql, type Selectable, type Transaction } from 'kysely';
import type { Db, Queryable } from '../platform/db/database.js';
import type { Database, ExperimentsTable } from '../platform/db/schema.js';
import type { ExperimentDefinition, ExperimentStatus } from './experiment.model.js';
import type { ExperimentSpec } from './experiment-validation.js';

type ExperimentRow = Selectable<ExperimentsTable>;

export function definitionFromRow(row: ExperimentRow): ExperimentDefinition {
  const holdout =
    row.holdout_share === null && row.holdout_experiment_key === null
      ? null
      : { share: row.holdout_share, experimentKey: row.holdout_experiment_key };
  return {
    id: row.id,
    key: row.key,
    name: row.name,
    description: row.description,
    status: row.status,
    variations: row.variations,
    weights: row.weights.map(Number),
    coverage: Number(row.coverage),
    hashAttribute: row.hash_attribute,
    seed: row.seed,
    hashVersion: row.hash_version === 1 ? 1 : 2,
    condition: row.condition,
    namespace:
      row.namespace_name === null ? null : { name: row.namespace_name, start: Number(row.namespace_start), end: Number(row.namespace_end) },
    holdout,
    forcedVariations: row.forced_variations,
    metrics: row.metrics,
    phaseStartedAt: row.phase_started_at,
    stoppedAt: row.stopped_at,
    archivedAt: row.archived_at,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function specColumns(spec: ExperimentSpec) {
  return {
    name: spec.name,
    description: spec.description,
    variations: JSON.stringify(spec.variations),
    weights: spec.weights,
    coverage: spec.coverage,
    hash_attribute: spec.hashAttribute,
    seed: spec.seed,
    hash_version: spec.hashVersion,
    condition: spec.condition === null ? null : JSON.stringify(spec.condition),
    namespace_name: spec.namespace?.name ?? null,
    namespace_start: spec.namespace?.start ?? null,
    namespace_end: spec.namespace?.end ?? null,
    holdout_share: spec.holdout?.share ?? null,
    holdout_experiment_key: spec.holdout?.experimentKey ?? null,
    forced_variations: JSON.stringify(spec.forcedVariations),
    metrics: spec.metrics,
  };
}

export interface ExperimentListFilter {
  status?: ExperimentStatus;
  includeArchived: boolean;
  /** Id of the last experiment of the previous page (newest first). */
  afterId: string | null;
  limit: number;
}

export interface RunningSnapshot {
  version: string;
  experiments: ExperimentDefinition[];
}

export class ExperimentRepository {
  constructor(private readonly db: Queryable) {}

  /** Runs `work` in one transaction whose first statement bumps the configuration version. */
  async write<T>(work: (repository: ExperimentRepository) => Promise<T>): Promise<T> {
    return (this.db as Db).transaction().execute(async (trx: Transaction<Database>) => {
      await trx
        .updateTable('experiment_config_version')
        .set({ version: sql`version + 1` })
        .where('singleton', '=', true)
        .execute();
      return work(new ExperimentRepository(trx));
    });
  }

  async currentVersion(): Promise<string> {
    const row = await this.db.selectFrom('experiment_config_version').select('version').executeTakeFirst();
    return String(row?.version ?? '0');
  }

  /** The version and the running experiments as of one snapshot, so the two always match. */
  async runningSnapshot(): Promise<RunningSnapshot> {
    return (this.db as Db)
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (trx) => {
        const version = await new ExperimentRepository(trx).currentVersion();
        const rows = await trx
          .selectFrom('experiments')
          .selectAll()
          .where('status', '=', 'running')
          .where('archived_at', 'is', null)
          .orderBy('key')
          .execute();
        return { version, experiments: rows.map(definitionFromRow) };
      });
  }

  async insert(values: { id: string; key: string; createdBy: string; spec: ExperimentSpec }): Promise<ExperimentDefinition> {
    const row = await this.db
      .insertInto('experiments')
      .values({ id: values.id, key: values.key, created_by: values.createdBy, ...specColumns(values.spec) })
      .returningAll()
      .executeTakeFirstOrThrow();
    return definitionFromRow(row);
  }

  async findByKey(key: string, options: { forUpdate?: boolean } = {}): Promise<ExperimentDefinition | null> {
    let query = this.db.selectFrom('experiments').selectAll().where('key', '=', key);
    if (options.forUpdate) query = query.forUpdate();
    const row = await query.executeTakeFirst();
    return row ? definitionFromRow(row) : null;
  }

  async list(filter: ExperimentListFilter): Promise<ExperimentDefinition[]> {
    let query = this.db.selectFrom('experiments').selectAll();
    if (!filter.includeArchived) query = query.where('archived_at', 'is', null);
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.afterId) query = query.where('id', '<', filter.afterId);
    const rows = await query.orderBy('id', 'desc').limit(filter.limit + 1).execute();
    return rows.map(definitionFromRow);
  }

  /** Replaces the admin-set fields and bumps the row's version. */
  async updateSpec(id: string, spec: ExperimentSpec): Promise<ExperimentDefinition> {
    const row = await this.db
      .updateTable('experiments')
      .set({ ...specColumns(spec), version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return definitionFromRow(row);
  }

  async setLifecycle(
    id: string,
    change: { status?: ExperimentStatus; phaseStartedAt?: 'now'; stoppedAt?: 'now' | null; archivedAt?: 'now' },
  ): Promise<ExperimentDefinition> {
    const row = await this.db
      .updateTable('experiments')
      .set({
        ...(change.status ? { status: change.status } : {}),
        ...(change.phaseStartedAt ? { phase_started_at: sql`now()` } : {}),
        ...(change.stoppedAt === 'now' ? { stopped_at: sql`now()` } : change.stoppedAt === null ? { stopped_at: null } : {}),
        ...(change.archivedAt ? { archived_at: sql`now()` } : {}),
        version: sql`version + 1`,
        updated_at: sql`now()`,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return definitionFromRow(row);
  }

  /** Running experiments sharing a namespace, other than `exceptId`. */
  async runningInNamespace(name: string, exceptId: string): Promise<ExperimentDefinition[]> {
    const rows = await this.db
      .selectFrom('experiments')
      .selectAll()
      .where('status', '=', 'running')
      .where('archived_at', 'is', null)
      .where('namespace_name', '=', name)
      .where('id', '<>', exceptId)
      .execute();
    return rows.map(definitionFromRow);
  }

  /** Experiments (not archived) that name `key` as their holdout experiment. */
  async holdoutDependents(key: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('experiments')
      .select('key')
      .where('holdout_experiment_key', '=', key)
      .where('archived_at', 'is', null)
      .execute();
    return rows.map((row) => row.key);
  }
}
