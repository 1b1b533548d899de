// /v5/experiments analysis routes (extension): the metrics experiments can report, an experiment's
// results (administrators), and POST /v5/experiments/analyze, the stats engine for summary sums
// computed anywhere (any signed-in user: it reads no stored data).
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { viewerOf } from '../platform/http/auth-hook.js';
import { commonErrors } from '../platform/http/schemas.js';
import { METRICS } from './metrics/metric-catalog.js';
import type { ExperimentResultsService } from './experiment-results.service.js';
import { AnalysisSchema, AnalyzeBody, MetricListSchema, ResultsQuery, ResultsSchema } from './experiment-analysis.schemas.js';
import { analysisRequestFromWire, presentAnalysis, presentMetric, presentResults } from './experiment-analysis.presenter.js';
import { ExperimentParams } from './experiment.schemas.js';
import { ADMIN_SCOPE } from './experiment-admin.service.js';

export interface ExperimentAnalysisRoutesDeps {
  results: ExperimentResultsService;
}

const TAGS = ['experiments'];

export async function experimentAnalysisRoutes(app: FastifyInstance, deps: ExperimentAnalysisRoutesDeps): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  api.get(
    '/v5/experiments/metrics',
    {
      config: { scopes: [] },
      schema: {
        tags: TAGS,
        summary: 'The metrics experiments can report',
        description: 'Extension. Metrics over engagement events: per-user means, proportions and ratios.',
        operationId: 'experiments/metrics',
        response: { 200: MetricListSchema, ...commonErrors },
      },
    },
    async () => ({ items: METRICS.map(presentMetric) }),
  );

  api.post(
    '/v5/experiments/analyze',
    {
      config: { scopes: [] },
      schema: {
        tags: TAGS,
        summary: 'Analyse per-variation summary statistics',
        description:
          'Extension. Per metric and variation: n, sum, sum_squares (ratios: the denominator\'s sums and the cross sum; CUPED: the pre-period\'s). Answers lifts with intervals and p-values, corrections and the sample-ratio check, computed as GrowthBook\'s gbstats does.',
        operationId: 'experiments/analyze',
        body: AnalyzeBody,
        response: { 200: AnalysisSchema, ...commonErrors },
      },
    },
    async (request) => {
      viewerOf(request);
      const { metrics, options } = analysisRequestFromWire(request.body);
      return presentAnalysis(deps.results.analyze(metrics, options));
    },
  );

  api.get(
    '/v5/experiments/:experiment_key/results',
    {
      config: { scopes: [ADMIN_SCOPE] },
      schema: {
        tags: TAGS,
        summary: "An experiment's results",
        description:
          'Extension. Administrators only, with a token holding the extension scope experiments:admin (403 code 3 without it, 403 code 29 for an account that is not an administrator). Exposures and engagement events summed per variation and metric, then analysed; the sample-ratio check against the weights; first exposures over time.',
        operationId: 'experiments/results',
        params: ExperimentParams,
        querystring: ResultsQuery,
        response: { 200: ResultsSchema, ...commonErrors },
      },
    },
    async (request) => {
      const query = request.query;
      const results = await deps.results.results(viewerOf(request), request.params.experiment_key, {
        alpha: query.alpha,
        sequential: query.sequential,
        sequentialTuning: query.sequential_tuning,
        correction: query.correction,
        prePeriodDays: query.pre_period_days,
      });
      return presentResults(results);
    },
  );
}
