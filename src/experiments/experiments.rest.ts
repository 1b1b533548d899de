// /v5/experiments (extension): the admin API for experiment definitions; evaluate, which answers
// every running experiment's variation for the caller without logging exposures ("get group", for
// clients that do not run a GrowthBook SDK); and activate, which answers one experiment's variation
// and logs the caller's exposure, for a client about to show it. Any signed-in user may evaluate and
// activate; everything else is for admins. The analysis routes and the results page are registered
// from here too.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { viewerOf } from '../platform/http/auth-hook.js';
import type { SessionCookieSettings } from '../auth/session-http.js';
import { AppError } from '../platform/errors.js';
import { commonErrors } from '../platform/http/schemas.js';
import { PaginatedSchema, pageRequest, toV5List } from '../platform/http/pagination.js';
import type { ExperimentAdminService } from './experiment-admin.service.js';
import type { ExperimentService } from './experiment.service.js';
import type { ExperimentCatalog } from './experiment-catalog.js';
import { presentExperiment } from './experiment.presenter.js';
import type { ExperimentResultsService } from './experiment-results.service.js';
import { experimentAnalysisRoutes } from './experiment-analysis.rest.js';
import { ADMIN_SCOPE } from './experiment-admin.service.js';
import { resultsPageRoutes } from './results-page/results-page.rest.js';
import {
  AssignmentSchema,
  EvaluateBody,
  EvaluateResponse,
  ExperimentCreateBody,
  ExperimentListQuery,
  ExperimentParams,
  ExperimentSchema,
  ExperimentUpdateBody,
  SdkPayloadSchema,
} from './experiment.schemas.js';

export interface ExperimentRoutesDeps {
  admin: ExperimentAdminService;
  experiments: ExperimentService;
  /** Stopped when the app closes, so its polling ends with the app. */
  catalog: Pick<ExperimentCatalog, 'stop'>;
  results: ExperimentResultsService;
  /** The browser session cookie's settings, for the results pages' sign-in form. */
  cookies: SessionCookieSettings;
}

const TAGS = ['experiments'];
const ADMIN = 'Administrators only, with a token holding the extension scope experiments:admin (403 code 3 without it, 403 code 29 for an account that is not an administrator).';
const ADMIN_ONLY = { scopes: [ADMIN_SCOPE] };

export async function experimentRoutes(app: FastifyInstance, deps: ExperimentRoutesDeps): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  app.addHook('onClose', async () => deps.catalog.stop());

  api.post(
    '/v5/experiments/evaluate',
    {
      config: { scopes: [] },
      schema: {
        tags: TAGS,
        summary: "Every running experiment's variation for the caller (no exposure is logged)",
        description:
          'Extension. Attributes in the body are added to the ones the server knows (id, username, account_type), which always win. Results use GrowthBook\'s Result field names.',
        operationId: 'experiments/evaluate',
        body: EvaluateBody,
        response: { 200: EvaluateResponse, ...commonErrors },
      },
    },
    async (request) => {
      const viewer = viewerOf(request);
      return deps.experiments.evaluateAll(viewer, request.body.attributes);
    },
  );

  api.get(
    '/v5/experiments/sdk',
    {
      config: { scopes: [] },
      schema: {
        tags: TAGS,
        summary: 'The running experiments for GrowthBook\'s SDKs',
        description:
          "Extension. Every running experiment as a GrowthBook SDK Experiment object (pass each to the SDK's run / runInlineExperiment with the user's attributes, and the caller's forced_variations as the context's forcedVariations): GrowthBook's SDK then assigns exactly as evaluate does. Activate when the SDK's tracking callback fires.",
        operationId: 'experiments/sdk',
        response: { 200: SdkPayloadSchema, ...commonErrors },
      },
    },
    async (request) => {
      const payload = await deps.experiments.sdkPayload(viewerOf(request));
      return { experiments: payload.experiments, forced_variations: payload.forcedVariations };
    },
  );

  api.post(
    '/v5/experiments/:experiment_key/activate',
    {
      config: { scopes: [] },
      schema: {
        tags: TAGS,
        summary: "The caller's variation of one running experiment, logging the exposure",
        description:
          'Extension. Call it when the variation is about to be shown: the first call per user and experiment logs the exposure the results count (later calls log nothing). Users outside the experiment get variation 0 with inExperiment false and log nothing. 404 when no running experiment has the key.',
        operationId: 'experiments/activate',
        params: ExperimentParams,
        body: EvaluateBody,
        response: { 200: AssignmentSchema, ...commonErrors },
      },
    },
    async (request) => {
      const result = await deps.experiments.variationFor(viewerOf(request), request.params.experiment_key, request.body.attributes);
      if (!result) throw new AppError('EXPERIMENT_NOT_FOUND', 'No running experiment has that key.');
      return result;
    },
  );

  api.get(
    '/v5/experiments',
    {
      config: ADMIN_ONLY,
      schema: {
        tags: TAGS,
        summary: 'List experiments, newest first',
        description: `Extension. ${ADMIN} Archived experiments only with include_archived=true.`,
        operationId: 'experiments/list',
        querystring: ExperimentListQuery,
        response: { 200: PaginatedSchema(ExperimentSchema), ...commonErrors },
      },
    },
    async (request) => {
      const page = await deps.admin.list(viewerOf(request), request.query, pageRequest(request.query, 1));
      return toV5List(page, presentExperiment);
    },
  );

  api.post(
    '/v5/experiments',
    {
      config: ADMIN_ONLY,
      schema: {
        tags: TAGS,
        summary: 'Create an experiment (as a draft)',
        description: `Extension. ${ADMIN}`,
        operationId: 'experiments/create',
        body: ExperimentCreateBody,
        response: { 201: ExperimentSchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      const created = await deps.admin.create(viewerOf(request), request.body);
      return reply.code(201).send(presentExperiment(created));
    },
  );

  api.get(
    '/v5/experiments/:experiment_key',
    {
      config: ADMIN_ONLY,
      schema: {
        tags: TAGS,
        summary: 'Get an experiment',
        description: `Extension. ${ADMIN}`,
        operationId: 'experiments/get',
        params: ExperimentParams,
        response: { 200: ExperimentSchema, ...commonErrors },
      },
    },
    async (request) => presentExperiment(await deps.admin.get(viewerOf(request), request.params.experiment_key)),
  );

  api.patch(
    '/v5/experiments/:experiment_key',
    {
      config: ADMIN_ONLY,
      schema: {
        tags: TAGS,
        summary: 'Update an experiment',
        description: `Extension. ${ADMIN} The key cannot change. With expected_version, refused (409) if someone changed it since.`,
        operationId: 'experiments/update',
        params: ExperimentParams,
        body: ExperimentUpdateBody,
        response: { 200: ExperimentSchema, ...commonErrors },
      },
    },
    async (request) => presentExperiment(await deps.admin.update(viewerOf(request), request.params.experiment_key, request.body)),
  );

  api.delete(
    '/v5/experiments/:experiment_key',
    {
      config: ADMIN_ONLY,
      schema: {
        tags: TAGS,
        summary: 'Archive an experiment',
        description: `Extension. ${ADMIN} Stops it for good and hides it from lists; the key stays taken and exposures are kept for analysis.`,
        operationId: 'experiments/delete',
        params: ExperimentParams,
        response: { 204: Type.Null(), ...commonErrors },
      },
    },
    async (request, reply) => {
      await deps.admin.archive(viewerOf(request), request.params.experiment_key);
      return reply.code(204).send(null);
    },
  );

  for (const action of ['start', 'stop'] as const) {
    api.post(
      `/v5/experiments/:experiment_key/${action}`,
      {
        config: ADMIN_ONLY,
        schema: {
          tags: TAGS,
          summary: action === 'start' ? 'Start (or resume) an experiment' : 'Stop an experiment',
          description: `Extension. ${ADMIN}`,
          operationId: `experiments/${action}`,
          params: ExperimentParams,
          response: { 200: ExperimentSchema, ...commonErrors },
        },
      },
      async (request) => presentExperiment(await deps.admin[action](viewerOf(request), request.params.experiment_key)),
    );
  }

  await experimentAnalysisRoutes(app, { results: deps.results });
  await resultsPageRoutes(app, { results: deps.results, admin: deps.admin, cookies: deps.cookies });
}
