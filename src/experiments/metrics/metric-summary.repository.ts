// The one query behind an experiment's results: from its exposures and the engagement events of the
// exposed users, per variation, the summary sums the stats engine needs for every metric (n, Σx,
// Σx², a ratio's denominator sums and cross sum, and for CUPED the same over a pre-exposure window
// with the cross sums between the two periods). Users with no events count, as zeros.
//
// Each exposed user's events are split at their own first exposure: events from `first_exposed_at`
// until the end of the analysis (the stop time, or now) are the metric; events in the `preDays`
// before it are the CUPED covariate. Event time is the event's `occurred_at`.
//
// Only the sums leave the database, so the cost is one pass over the exposed users' events,
// whatever the number of users.
import { sql, type RawBuilder } from 'kysely';
import type { Queryable } from '../../platform/db/database.js';
import type { VariationSums } from '../stats/analysis.js';
import type { EngagementKind, MetricDefinition } from './metric-catalog.js';

export interface SummaryQuery {
  experimentId: string;
  variationCount: number;
  metrics: readonly MetricDefinition[];
  /** End of the analysis window (exclusive); null for now. */
  end: Date | null;
  /** Days before each user's first exposure used as the CUPED covariate; 0 for none. */
  preDays: number;
}

export interface MetricSummary {
  metric: MetricDefinition;
  /** One entry per variation, the control first. */
  variations: VariationSums[];
}

export interface ExperimentSummary {
  /** Exposed users per variation. */
  users: number[];
  metrics: MetricSummary[];
}

export interface ExposureBucket {
  /** Start of the bucket (UTC). */
  start: Date;
  /** First exposures in the bucket, per variation. */
  counts: number[];
}

type Period = 'post' | 'pre';

/** The per-user column of a kind's count in a period (kinds come from a fixed list, never from input). */
function column(period: Period, kind: EngagementKind): string {
  return `${period}_${kind}`;
}

/** Collects the aggregate expressions the metrics need, each computed once under a generated alias. */
class Aggregates {
  private readonly byExpression = new Map<string, string>();

  alias(expression: string): string {
    let alias = this.byExpression.get(expression);
    if (!alias) {
      alias = `a${this.byExpression.size}`;
      this.byExpression.set(expression, alias);
    }
    return alias;
  }

  sum(expression: string): string {
    return this.alias(`sum(${expression})`);
  }

  selectList(): string {
    return [...this.byExpression].map(([expression, alias]) => `(${expression})::float8 AS ${alias}`).join(', ');
  }
}

/** How one metric's VariationSums are read from an aggregate row. */
type SumsReader = (row: Record<string, unknown>) => VariationSums;

function readerFor(metric: MetricDefinition, aggregates: Aggregates, cuped: boolean): SumsReader {
  const value = (alias: string) => (row: Record<string, unknown>) => Number(row[alias] ?? 0);
  const post = column('post', metric.kind);
  const pre = column('pre', metric.kind);

  if (metric.type === 'proportion') {
    const hit = (c: string) => `(${c} > 0)::int`;
    const sum = value(aggregates.sum(hit(post)));
    if (!cuped) return (row) => ({ n: Number(row.n), sum: sum(row) });
    const covariate = value(aggregates.sum(hit(pre)));
    const cross = value(aggregates.sum(`${hit(post)} * ${hit(pre)}`));
    return (row) => ({ n: Number(row.n), sum: sum(row), covariateSum: covariate(row), mainCovariateSumProduct: cross(row) });
  }

  const sum = value(aggregates.sum(post));
  const sumSquares = value(aggregates.sum(`${post} * ${post}`));
  const covariate = cuped
    ? {
        covariateSum: value(aggregates.sum(pre)),
        covariateSumSquares: value(aggregates.sum(`${pre} * ${pre}`)),
        mainCovariateSumProduct: value(aggregates.sum(`${post} * ${pre}`)),
      }
    : null;
  const main = (row: Record<string, unknown>): VariationSums => ({
    n: Number(row.n),
    sum: sum(row),
    sumSquares: sumSquares(row),
    ...(covariate
      ? {
          covariateSum: covariate.covariateSum(row),
          covariateSumSquares: covariate.covariateSumSquares(row),
          mainCovariateSumProduct: covariate.mainCovariateSumProduct(row),
        }
      : {}),
  });
  if (metric.type === 'mean') return main;

  const denominatorKind = metric.denominatorKind!;
  const dPost = column('post', denominatorKind);
  const dPre = column('pre', denominatorKind);
  const denominator = {
    denominatorSum: value(aggregates.sum(dPost)),
    denominatorSumSquares: value(aggregates.sum(`${dPost} * ${dPost}`)),
    mainDenominatorSumProduct: value(aggregates.sum(`${post} * ${dPost}`)),
  };
  const denominatorPre = cuped
    ? {
        denominatorPreSum: value(aggregates.sum(dPre)),
        denominatorPreSumSquares: value(aggregates.sum(`${dPre} * ${dPre}`)),
        mainPreDenominatorPreSumProduct: value(aggregates.sum(`${pre} * ${dPre}`)),
        mainPostDenominatorPreSumProduct: value(aggregates.sum(`${post} * ${dPre}`)),
        mainPreDenominatorPostSumProduct: value(aggregates.sum(`${pre} * ${dPost}`)),
        denominatorPostDenominatorPreSumProduct: value(aggregates.sum(`${dPost} * ${dPre}`)),
      }
    : null;
  return (row) => {
    const sums: VariationSums = { ...main(row) };
    for (const [field, read] of Object.entries({ ...denominator, ...(denominatorPre ?? {}) })) {
      (sums as unknown as Record<string, number>)[field] = read(row);
    }
    return sums;
  };
}

function emptySums(reader: SumsReader): VariationSums {
  return reader({ n: 0 });
}

export class MetricSummaryRepository {
  constructor(private readonly db: Queryable) {}

  async summarize(query: SummaryQuery): Promise<ExperimentSummary> {
    const cuped = query.preDays > 0;
    const kinds = [...new Set(query.metrics.flatMap((m) => (m.denominatorKind ? [m.kind, m.denominatorKind] : [m.kind])))];
    const periods: Period[] = cuped ? ['post', 'pre'] : ['post'];

    const aggregates = new Aggregates();
    const readers = query.metrics.map((metric) => readerFor(metric, aggregates, cuped));

    const counts: RawBuilder<unknown>[] = [];
    for (const kind of kinds) {
      for (const period of periods) {
        const when = period === 'post' ? sql`ev.occurred_at >= x.first_exposed_at` : sql`ev.occurred_at < x.first_exposed_at`;
        counts.push(sql`count(ev.id) FILTER (WHERE ev.kind = ${kind} AND ${when}) AS ${sql.raw(column(period, kind))}`);
      }
    }
    const end = query.end ?? new Date();
    const windowStart = cuped
      ? sql`x.first_exposed_at - make_interval(days => ${query.preDays}::int)`
      : sql`x.first_exposed_at`;
    const perUserColumns = counts.length > 0 ? sql`, ${sql.join(counts)}` : sql``;
    const joinKinds = kinds.length > 0 ? kinds : ['save'];
    const aggregateList = aggregates.selectList();

    const result = await sql<Record<string, unknown>>`
      WITH per_user AS (
        SELECT x.user_id, x.variation_index${perUserColumns}
        FROM experiment_exposures x
        LEFT JOIN engagement_events ev
          ON ev.user_id = x.user_id
         AND ev.kind IN (${sql.join(joinKinds)})
         AND ev.occurred_at >= ${windowStart}
         AND ev.occurred_at < ${end}
        WHERE x.experiment_id = ${query.experimentId}
        GROUP BY x.user_id, x.variation_index
      )
      SELECT variation_index, count(*)::int AS n${sql.raw(aggregateList ? `, ${aggregateList}` : '')}
      FROM per_user
      GROUP BY variation_index
      ORDER BY variation_index
    `.execute(this.db);

    const rows = new Map(result.rows.map((row) => [Number(row.variation_index), row]));
    const users = Array.from({ length: query.variationCount }, (_, index) => Number(rows.get(index)?.n ?? 0));
    const metrics = query.metrics.map((metric, i) => ({
      metric,
      variations: Array.from({ length: query.variationCount }, (_, index) => {
        const row = rows.get(index);
        return row ? readers[i]!(row) : emptySums(readers[i]!);
      }),
    }));
    return { users, metrics };
  }

  /** First exposures per time bucket (UTC hours or days) and variation, oldest first. */
  async exposuresOverTime(experimentId: string, variationCount: number, unit: 'hour' | 'day'): Promise<ExposureBucket[]> {
    const result = await sql<{ bucket: number; variation_index: number; count: number }>`
      SELECT extract(epoch FROM date_trunc(${unit}, first_exposed_at AT TIME ZONE 'UTC'))::float8 AS bucket,
             variation_index, count(*)::int AS count
      FROM experiment_exposures
      WHERE experiment_id = ${experimentId}
      GROUP BY 1, 2
      ORDER BY 1, 2
    `.execute(this.db);
    const buckets = new Map<number, number[]>();
    for (const row of result.rows) {
      const counts = buckets.get(row.bucket) ?? new Array<number>(variationCount).fill(0);
      if (row.variation_index < variationCount) counts[row.variation_index] = row.count;
      buckets.set(row.bucket, counts);
    }
    return [...buckets].map(([seconds, counts]) => ({ start: new Date(seconds * 1000), counts }));
  }
}
