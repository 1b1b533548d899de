// GraphQL for experiments, over the same services as /v5/experiments: definitions, their lifecycle
// and results for administrators whose token holds experiments:admin (MISSING_SCOPE without it,
// FORBIDDEN for others; the service checks both); assignments ("get group", no exposure), an
// activation (logs the viewer's exposure) and the analysis of posted sums for anyone signed in.
// Arguments are checked against the REST routes' TypeBox schemas, so both APIs refuse the same input
// with the same codes.
import { viewerWith, type GraphqlContext } from '../graphql/context.js';
import { validInput } from '../graphql/input.js';
import { pageQueryOf, toConnection, type ConnectionArgs } from '../graphql/relay.js';
import type { GraphqlModule } from '../graphql/types.js';
import { AppError } from '../platform/errors.js';
import { pageRequest } from '../platform/http/pagination.js';
import type { ExperimentDefinition } from './experiment.model.js';
import { AnalyzeBody, ResultsQuery } from './experiment-analysis.schemas.js';
import { analysisRequestFromWire } from './experiment-analysis.presenter.js';
import { EvaluateBody, ExperimentCreateBody, ExperimentListQuery, ExperimentParams, ExperimentUpdateBody } from './experiment.schemas.js';
import { METRICS } from './metrics/metric-catalog.js';
import { graphqlAnalysis, graphqlAssignment, graphqlExperiment, graphqlMetric, graphqlResults, snakeKeys } from './experiments.graphql-shapes.js';
import { experimentTypeDefs } from './experiments.graphql-sdl.js';

type Upper<T extends string> = Uppercase<T>;
interface ResultsArgs {
  alpha?: number | null;
  sequential?: boolean | null;
  sequentialTuning?: number | null;
  correction?: Upper<'none' | 'holm' | 'bh'> | null;
  prePeriodDays?: number | null;
}

const lower = <T extends string>(value: T | null | undefined) => (value ? (value.toLowerCase() as Lowercase<T>) : undefined);

function keyOf(key: string): string {
  return validInput(ExperimentParams, { experiment_key: key }).experiment_key;
}

function resultsOptions(args: ResultsArgs) {
  const query = validInput(ResultsQuery, {
    alpha: args.alpha ?? undefined,
    sequential: args.sequential ?? undefined,
    sequential_tuning: args.sequentialTuning ?? undefined,
    correction: lower(args.correction),
    pre_period_days: args.prePeriodDays ?? undefined,
  });
  return {
    alpha: query.alpha,
    sequential: query.sequential,
    sequentialTuning: query.sequential_tuning,
    correction: query.correction,
    prePeriodDays: query.pre_period_days,
  };
}

export const experimentsGraphql: GraphqlModule = {
  typeDefs: experimentTypeDefs,
  resolvers: {
    Query: {
      experiments: async (
        _root: unknown,
        args: ConnectionArgs & { status?: Upper<'draft' | 'running' | 'stopped'> | null; includeArchived?: boolean | null },
        context: GraphqlContext,
      ) => {
        const viewer = viewerWith(context, []);
        const page = pageQueryOf(args);
        const query = validInput(ExperimentListQuery, { ...page, status: lower(args.status), include_archived: args.includeArchived ?? undefined });
        const found = await context.services.experimentAdmin.list(viewer, query, pageRequest(page, 1));
        return toConnection(found, graphqlExperiment, (definition: ExperimentDefinition) => [definition.id]);
      },
      experiment: async (_root: unknown, args: { key: string }, context: GraphqlContext) => {
        const viewer = viewerWith(context, []);
        return graphqlExperiment(await context.services.experimentAdmin.get(viewer, keyOf(args.key)));
      },
      experimentMetrics: (_root: unknown, _args: unknown, context: GraphqlContext) => {
        viewerWith(context, []);
        return METRICS.map(graphqlMetric);
      },
      experimentAssignments: async (_root: unknown, args: { attributes?: Record<string, unknown> | null }, context: GraphqlContext) => {
        const viewer = viewerWith(context, []);
        const { attributes } = validInput(EvaluateBody, { attributes: args.attributes ?? undefined });
        const evaluation = await context.services.experiments.evaluateAll(viewer, attributes);
        return Object.entries(evaluation.experiments).map(([key, result]) => graphqlAssignment(key, result));
      },
      analyzeExperiment: (_root: unknown, args: { input: Record<string, unknown> }, context: GraphqlContext) => {
        viewerWith(context, []);
        const input = args.input as { metrics?: Array<{ type?: string }>; correction?: string | null };
        const wire = snakeKeys({
          ...input,
          metrics: input.metrics?.map((metric) => ({ ...metric, type: metric.type?.toLowerCase() })),
          correction: input.correction?.toLowerCase(),
        }) as Record<string, unknown>;
        const body = validInput(AnalyzeBody, wire);
        const { metrics, options } = analysisRequestFromWire(body);
        return graphqlAnalysis(context.services.experimentResults.analyze(metrics, options));
      },
    },
    Mutation: {
      createExperiment: async (_root: unknown, args: { input: Record<string, unknown> }, context: GraphqlContext) => {
        const viewer = viewerWith(context, []);
        const body = validInput(ExperimentCreateBody, snakeKeys(args.input) as Record<string, unknown>);
        return graphqlExperiment(await context.services.experimentAdmin.create(viewer, body));
      },
      updateExperiment: async (_root: unknown, args: { key: string; input: Record<string, unknown> }, context: GraphqlContext) => {
        const viewer = viewerWith(context, []);
        const body = validInput(ExperimentUpdateBody, snakeKeys(args.input) as Record<string, unknown>);
        return graphqlExperiment(await context.services.experimentAdmin.update(viewer, keyOf(args.key), body));
      },
      startExperiment: async (_root: unknown, args: { key: string }, context: GraphqlContext) =>
        graphqlExperiment(await context.services.experimentAdmin.start(viewerWith(context, []), keyOf(args.key))),
      stopExperiment: async (_root: unknown, args: { key: string }, context: GraphqlContext) =>
        graphqlExperiment(await context.services.experimentAdmin.stop(viewerWith(context, []), keyOf(args.key))),
      archiveExperiment: async (_root: unknown, args: { key: string }, context: GraphqlContext) =>
        graphqlExperiment(await context.services.experimentAdmin.archive(viewerWith(context, []), keyOf(args.key))),
      activateExperiment: async (_root: unknown, args: { key: string; attributes?: Record<string, unknown> | null }, context: GraphqlContext) => {
        const viewer = viewerWith(context, []);
        const { attributes } = validInput(EvaluateBody, { attributes: args.attributes ?? undefined });
        const result = await context.services.experiments.variationFor(viewer, keyOf(args.key), attributes);
        if (!result) throw new AppError('EXPERIMENT_NOT_FOUND', 'No running experiment has that key.');
        return graphqlAssignment(args.key, result);
      },
    },
    Experiment: {
      results: async (parent: { definition: ExperimentDefinition }, args: ResultsArgs, context: GraphqlContext) => {
        const viewer = viewerWith(context, []);
        return graphqlResults(await context.services.experimentResults.results(viewer, parent.definition.key, resultsOptions(args)));
      },
    },
  },
};
