// The results pages for people, in a browser: GET /experiments (the experiments, linking to their
// results) and GET /experiments/{key}/results. Administrators only, like the JSON they are made of,
// signed in with a browser session (the cookie of POST /login, see auth/session-http.ts) or a bearer
// header. Without one the page answers 401 with the sign-in form. A token in the address
// (`?access_token=`) is refused with 400: addresses end up in logs, history and shared links.
// Errors are pages too.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError, isAppError } from '../../platform/errors.js';
import { HTML_HEADERS } from '../../platform/http/html.js';
import type { Viewer } from '../../platform/http/viewer.js';
import type { SessionCookieSettings } from '../../auth/session-http.js';
import { loginCsrfFor } from '../../auth/session-http.js';
import { csrfTokenOf } from '../../auth/session.service.js';
import { LOGIN_PAGE_STYLE, renderLoginPage } from '../../auth/login-page.html.js';
import { pagePolicy } from '../../platform/http/browser-security.js';
import type { ExperimentAdminService } from '../experiment-admin.service.js';
import type { ExperimentResultsService } from '../experiment-results.service.js';
import { ResultsQuery } from '../experiment-analysis.schemas.js';
import { ExperimentParams } from '../experiment.schemas.js';
import { RESULTS_PAGE_STYLE, renderMessagePage, renderResultsPage } from './results-page.html.js';
import { LIST_PAGE_STYLE, renderExperimentListPage } from './experiment-list-page.html.js';

export interface ResultsPageRoutesDeps {
  results: ExperimentResultsService;
  admin: Pick<ExperimentAdminService, 'list'>;
  cookies: SessionCookieSettings;
}

// Still described, so that a link carrying one gets a clear refusal rather than "unknown field".
const AccessToken = Type.Optional(Type.String({ maxLength: 4096, description: 'Refused: sign in instead.' }));
const PageQuery = Type.Object({ ...ResultsQuery.properties, access_token: AccessToken }, { additionalProperties: false });
const ListQuery = Type.Object({ access_token: AccessToken }, { additionalProperties: false });

const MESSAGES: Partial<Record<string, [string, string]>> = {
  FORBIDDEN: ['Not allowed', 'Only administrators may see experiment results.'],
  MISSING_SCOPE: ['Not allowed', 'Only administrators may see experiment results, signed in with the experiments:admin scope.'],
  EXPERIMENT_NOT_FOUND: ['Not found', 'There is no experiment with that key.'],
};

/** Either route may answer the sign-in form, a message page or its own page. */
const PAGE_POLICY = pagePolicy(LOGIN_PAGE_STYLE, RESULTS_PAGE_STYLE, LIST_PAGE_STYLE);

function sendPage(reply: FastifyReply, status: number, html: string): FastifyReply {
  return reply.code(status).headers(HTML_HEADERS).send(html);
}

function viewerOf(request: FastifyRequest): Viewer {
  if (!request.viewer) throw new AppError('AUTHENTICATION_FAILED');
  return request.viewer;
}

/** The session's CSRF token for the page's sign-out form, when the page was opened with a session. */
function logoutCsrf(request: FastifyRequest): string | null {
  return request.session ? csrfTokenOf(request.session.secret) : null;
}

export async function resultsPageRoutes(app: FastifyInstance, deps: ResultsPageRoutesDeps): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  function sendError(request: FastifyRequest, reply: FastifyReply, error: unknown): FastifyReply {
    if (isAppError(error) && error.kind === 'AUTHENTICATION_FAILED') {
      const csrf = loginCsrfFor(request, reply, deps.cookies);
      const next = request.url.split('?')[0] ?? '/experiments';
      return sendPage(reply, 401, renderLoginPage({ status: 401, message: 'This page is for administrators: sign in.', csrf, next }));
    }
    if (!isAppError(error) || error.status >= 500) {
      request.log.error({ err: error }, 'experiment results page failed');
      return sendPage(reply, 500, renderMessagePage(500, 'Something went wrong', 'The results could not be computed; the server log has the details.'));
    }
    const [heading, message] = MESSAGES[error.kind] ?? ['Cannot show this page', error.message];
    return sendPage(reply, error.status, renderMessagePage(error.status, heading, message));
  }

  function refused(request: FastifyRequest, reply: FastifyReply): FastifyReply | null {
    const query = request.query as { access_token?: string };
    if (request.validationError) {
      return sendPage(reply, 400, renderMessagePage(400, 'Invalid options', `The address has an invalid option: ${request.validationError.message}.`));
    }
    if (query.access_token !== undefined) {
      return sendPage(
        reply,
        400,
        renderMessagePage(400, 'Sign in instead', 'Tokens in the address are not accepted (addresses end up in logs, history and shared links). Remove access_token from the address and sign in at /login.'),
      );
    }
    return null;
  }

  api.get(
    '/experiments',
    { helmet: PAGE_POLICY, config: { session: true }, attachValidation: true, schema: { hide: true, querystring: ListQuery } },
    async (request, reply) => {
      const refusal = refused(request, reply);
      if (refusal) return refusal;
      try {
        const page = await deps.admin.list(viewerOf(request), { include_archived: false }, { after: null, limit: 250 });
        return sendPage(reply, 200, renderExperimentListPage(page.items, logoutCsrf(request)));
      } catch (error) {
        return sendError(request, reply, error);
      }
    },
  );

  api.get(
    '/experiments/:experiment_key/results',
    { helmet: PAGE_POLICY, config: { session: true }, attachValidation: true, schema: { hide: true, params: ExperimentParams, querystring: PageQuery } },
    async (request, reply) => {
      const refusal = refused(request, reply);
      if (refusal) return refusal;
      const query = request.query;
      try {
        const options = {
          alpha: query.alpha,
          sequential: query.sequential,
          sequentialTuning: query.sequential_tuning,
          correction: query.correction,
          prePeriodDays: query.pre_period_days,
        };
        const results = await deps.results.results(viewerOf(request), request.params.experiment_key, options);
        return sendPage(reply, 200, renderResultsPage(results, { options, logoutCsrf: logoutCsrf(request) }));
      } catch (error) {
        return sendError(request, reply, error);
      }
    },
  );
}
