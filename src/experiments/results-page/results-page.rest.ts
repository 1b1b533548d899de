// The results pages for people, in a browser: GET /experiments (the experiments, linking to their
// results) and GET /experiments/{key}/results. Administrators only, like the JSON they are made of.
// A browser cannot add an Authorization header to a link, so these pages also accept the token as
// the `access_token` query parameter (RFC 6750 §2.3); they answer with `Cache-Control: no-store` and
// `Referrer-Policy: no-referrer` so the token is neither cached nor sent on. Errors are pages too.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError, isAppError } from '../../platform/errors.js';
import type { TokenVerifier } from '../../platform/http/auth-hook.js';
import type { Viewer } from '../../platform/http/viewer.js';
import type { ExperimentAdminService } from '../experiment-admin.service.js';
import type { ExperimentResultsService } from '../experiment-results.service.js';
import { ResultsQuery } from '../experiment-analysis.schemas.js';
import { ExperimentParams } from '../experiment.schemas.js';
import { renderMessagePage, renderResultsPage } from './results-page.html.js';
import { renderExperimentListPage } from './experiment-list-page.html.js';

export interface ResultsPageRoutesDeps {
  results: ExperimentResultsService;
  admin: Pick<ExperimentAdminService, 'list'>;
  tokens: TokenVerifier;
}

const AccessToken = Type.Optional(Type.String({ maxLength: 200, description: 'The bearer token, for browsers (RFC 6750 §2.3).' }));
const PageQuery = Type.Object({ ...ResultsQuery.properties, access_token: AccessToken }, { additionalProperties: false });
const ListQuery = Type.Object({ access_token: AccessToken }, { additionalProperties: false });

const HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  // Inline styles and SVG only: no script, no outside resource, not framed.
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
};

const MESSAGES: Partial<Record<string, [string, string]>> = {
  AUTHENTICATION_FAILED: [
    'Sign in',
    'This page is for administrators. Open it with your token: add ?access_token=<token> to the address (npm run -s cli -- token <username> prints one).',
  ],
  FORBIDDEN: ['Not allowed', 'Only administrators may see experiment results.'],
  MISSING_SCOPE: ['Not allowed', 'Only administrators may see experiment results, signed in with the experiments:admin scope.'],
  EXPERIMENT_NOT_FOUND: ['Not found', 'There is no experiment with that key.'],
};

async function viewerFor(request: FastifyRequest, tokens: TokenVerifier, accessToken: string | undefined): Promise<Viewer> {
  if (request.viewer) return request.viewer;
  const viewer = accessToken ? await tokens.verify(accessToken) : null;
  if (!viewer) throw new AppError('AUTHENTICATION_FAILED');
  return viewer;
}

function sendPage(reply: FastifyReply, status: number, html: string): FastifyReply {
  return reply.code(status).headers(HEADERS).send(html);
}

function sendError(request: FastifyRequest, reply: FastifyReply, error: unknown): FastifyReply {
  if (!isAppError(error) || error.status >= 500) {
    request.log.error({ err: error }, 'experiment results page failed');
    return sendPage(reply, 500, renderMessagePage(500, 'Something went wrong', 'The results could not be computed; the server log has the details.'));
  }
  const [heading, message] = MESSAGES[error.kind] ?? ['Cannot show this page', error.message];
  return sendPage(reply, error.status, renderMessagePage(error.status, heading, message));
}

function badQuery(reply: FastifyReply, error: Error): FastifyReply {
  return sendPage(reply, 400, renderMessagePage(400, 'Invalid options', `The address has an invalid option: ${error.message}.`));
}

export async function resultsPageRoutes(app: FastifyInstance, deps: ResultsPageRoutesDeps): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  api.get(
    '/experiments',
    { attachValidation: true, schema: { hide: true, querystring: ListQuery } },
    async (request, reply) => {
      if (request.validationError) return badQuery(reply, request.validationError);
      try {
        const viewer = await viewerFor(request, deps.tokens, request.query.access_token);
        const page = await deps.admin.list(viewer, { include_archived: false }, { after: null, limit: 250 });
        return sendPage(reply, 200, renderExperimentListPage(page.items, request.query.access_token ?? null));
      } catch (error) {
        return sendError(request, reply, error);
      }
    },
  );

  api.get(
    '/experiments/:experiment_key/results',
    { attachValidation: true, schema: { hide: true, params: ExperimentParams, querystring: PageQuery } },
    async (request, reply) => {
      if (request.validationError) return badQuery(reply, request.validationError);
      const query = request.query;
      try {
        const viewer = await viewerFor(request, deps.tokens, query.access_token);
        const options = {
          alpha: query.alpha,
          sequential: query.sequential,
          sequentialTuning: query.sequential_tuning,
          correction: query.correction,
          prePeriodDays: query.pre_period_days,
        };
        const results = await deps.results.results(viewer, request.params.experiment_key, options);
        return sendPage(reply, 200, renderResultsPage(results, { options, accessToken: query.access_token ?? null }));
      } catch (error) {
        return sendError(request, reply, error);
      }
    },
  );
}
