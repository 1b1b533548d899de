// An experiment's results, and the same analysis for sums computed elsewhere.
//
// - results(): for administrators. Reads the exposures and the exposed users' engagement events
//   (MetricSummaryRepository), runs the stats engine on the sums, checks the sample ratio against
//   the experiment's weights and counts first exposures over time.
// - analyze(): for anyone signed in. Takes per-variation summary sums (as POST
//   /v5/experiments/analyze receives them) and answers the same analysis, so a data scientist can
//   check a result or analyse data from elsewhere. Bad sums are refused with the problem named.
import { AppError, type ErrorKind } from '../platform/errors.js';
import type { ExperimentDefinition } from './experiment.model.js';
import type { ExperimentAdmin } from './experiment-admin.service.js';
import { metricsOf, type MetricDefinition } from './metrics/metric-catalog.js';
import type { ExposureBucket, MetricSummaryRepository } from './metrics/metric-summary.repository.js';
import { AnalysisInputError, analyzeExperiment, type Analysis, type AnalysisOptions, type MetricInput } from './stats/analysis.js';
import type { Correction } from './stats/corrections.js';
import { DEFAULT_SEQUENTIAL_TUNING } from './stats/sequential.js';
import { SRM_THRESHOLD, sampleRatioMismatch, type SrmResult } from './stats/srm.js';
import type { AnalysisInputProblem } from './stats/validation.js';

/** GrowthBook's default CUPED lookback. */
export const DEFAULT_PRE_PERIOD_DAYS = 14;
/** Below this span the exposure chart counts per hour, above it per day. */
const HOURLY_SPAN_MS = 3 * 24 * 3600_000;

export interface ResultsOptions {
  alpha?: number;
  sequential?: boolean;
  sequentialTuning?: number;
  correction?: Correction;
  /** CUPED lookback in days; 0 turns CUPED off. */
  prePeriodDays?: number;
}

export interface ExperimentResults {
  experiment: ExperimentDefinition;
  computedAt: Date;
  window: { start: Date | null; end: Date; prePeriodDays: number };
  metrics: MetricDefinition[];
  /** Exposed users per variation. */
  users: number[];
  srm: SrmResult & { users: number[]; weights: number[]; threshold: number };
  /** Null until every variation has at least two exposed users (see `note`). */
  analysis: Analysis | null;
  note: string | null;
  exposuresOverTime: { unit: 'hour' | 'day'; buckets: ExposureBucket[] };
}

export interface ExperimentResultsServiceDeps {
  admin: { get(viewer: ExperimentAdmin, key: string): Promise<ExperimentDefinition> };
  summaries: Pick<MetricSummaryRepository, 'summarize' | 'exposuresOverTime'>;
  now?: () => Date;
}

const INPUT_ERRORS: Record<AnalysisInputProblem, ErrorKind> = {
  SAMPLE_TOO_SMALL: 'ANALYSIS_SAMPLE_TOO_SMALL',
  NEGATIVE_VARIANCE: 'ANALYSIS_IMPOSSIBLE_SUMS',
  MISMATCH: 'ANALYSIS_INPUT_MISMATCH',
  INVALID_WEIGHTS: 'ANALYSIS_INVALID_WEIGHTS',
};

/** The analysis of posted sums; an impossible input is a 400 naming the problem. */
export function analyzeSums(metrics: MetricInput[], options: AnalysisOptions): Analysis {
  try {
    return analyzeExperiment(metrics, options);
  } catch (error) {
    if (error instanceof AnalysisInputError) throw new AppError(INPUT_ERRORS[error.problem], error.message);
    throw error;
  }
}

export class ExperimentResultsService {
  constructor(private readonly deps: ExperimentResultsServiceDeps) {}

  analyze(metrics: MetricInput[], options: AnalysisOptions): Analysis {
    return analyzeSums(metrics, options);
  }

  async results(viewer: ExperimentAdmin, key: string, options: ResultsOptions = {}): Promise<ExperimentResults> {
    const experiment = await this.deps.admin.get(viewer, key);
    const now = this.deps.now?.() ?? new Date();
    const end = experiment.status === 'stopped' && experiment.stoppedAt ? experiment.stoppedAt : now;
    const prePeriodDays = options.prePeriodDays ?? DEFAULT_PRE_PERIOD_DAYS;
    const metrics = metricsOf(experiment.metrics);
    const variationCount = experiment.variations.length;

    const start = experiment.phaseStartedAt;
    const unit = start && end.getTime() - start.getTime() > HOURLY_SPAN_MS ? 'day' : 'hour';
    const [summary, buckets] = await Promise.all([
      this.deps.summaries.summarize({ experimentId: experiment.id, variationCount, metrics, end, preDays: prePeriodDays }),
      this.deps.summaries.exposuresOverTime(experiment.id, variationCount, unit),
    ]);

    const srm = { ...sampleRatioMismatch(summary.users, experiment.weights), users: summary.users, weights: experiment.weights, threshold: SRM_THRESHOLD };
    const fewest = Math.min(...summary.users);
    let analysis: Analysis | null = null;
    let note: string | null = null;
    if (experiment.status === 'draft') {
      note = 'The experiment has not started: nobody is exposed yet.';
    } else if (fewest < 2) {
      note = `Not enough data yet: every variation needs at least 2 exposed users (the smallest has ${fewest}).`;
    } else if (metrics.length === 0) {
      note = 'The experiment names no known metric.';
    } else {
      analysis = analyzeSums(
        summary.metrics.map(({ metric, variations }) => ({ key: metric.key, type: metric.type, variations })),
        {
          alpha: options.alpha ?? 0.05,
          sequential: options.sequential ?? false,
          sequentialTuning: options.sequentialTuning ?? DEFAULT_SEQUENTIAL_TUNING,
          correction: options.correction ?? 'none',
          srmWeights: experiment.weights,
          variationUsers: summary.users,
        },
      );
    }
    return {
      experiment,
      computedAt: now,
      window: { start, end, prePeriodDays },
      metrics,
      users: summary.users,
      srm,
      analysis,
      note,
      exposuresOverTime: { unit, buckets },
    };
  }
}
