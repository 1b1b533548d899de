// POST /graphql and GET /graphql (queries only), on the same Fastify app, auth hook and services as
// the REST API; GraphiQL at GET /graphiql, and GET /graphql from a browser (Accept: text/html, no
// query) redirects there. Persisted queries follow Apollo's APQ protocol
// (extensions.persistedQuery.sha256Hash). Responses are application/json, or
// application/graphql-response+json when the client's Accept prefers it (GraphQL over HTTP).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import mercurius from 'mercurius';
import type { Container } from '../container.js';
import { createContext, type GraphqlContext, type GraphqlDeps } from './context.js';
import { formatExecution, requestErrors, requestStatus } from './errors.js';
import type { GraphqlLimits } from '../config.js';
import { checkDocument, checkOperation, checkVariables } from './document-limits.js';
import { graphiqlRoutes } from './graphiql.js';
import { assertWithinCost, meteredService, type ExpensiveWork } from './cost.js';
import { getOperationAST, OperationTypeNode } from 'graphql/index.js';
import type { RateCategory } from '../config.js';
import { buildGraphqlSchema } from './schema.js';
import { uploadBodyLimit } from '../platform/http/body-limits.js';
import type { Scope } from '../platform/http/viewer.js';

/** The scopes createPin needs (those of POST /v5/pins): a token holding them may send an image. */
const PIN_WRITE_SCOPES: readonly Scope[] = ['boards:read', 'boards:write', 'pins:read', 'pins:write'];

export interface GraphqlRoutesDeps extends GraphqlDeps {
  /** Largest request body of a token allowed to create pins: createPin may carry a base64 image, like POST /v5/pins. */
  maxUploadBodyBytes: number;
  limits: GraphqlLimits;
  /** Serve GraphiQL at /graphiql (GRAPHIQL). */
  graphiql: boolean;
}

/** The GraphQL routes' dependencies, taken from the composition root. */
/**
 * The services as GraphQL fields reach them: the expensive ones only from a field that declares
 * that kind of work with @cost (cost.ts), so a new field cannot do it unannounced.
 */
function meteredServices(services: Container['services']): Container['services'] {
  return {
    ...services,
    search: meteredService(services.search, 'SEARCH', ['searchPins', 'searchBoards']),
    publicSearch: meteredService(services.publicSearch, 'SEARCH', ['searchPins', 'relatedTerms']),
    relatedPins: meteredService(services.relatedPins, 'RELATED_PINS_WALK', ['related', 'relatedMany', 'walkForUser', 'pickedForUser']),
    homeFeed: meteredService(services.homeFeed, 'HOME_FEED', ['page']),
    experimentResults: meteredService(
      meteredService(services.experimentResults, 'EXPERIMENT_RESULTS', ['results']),
      'EXPERIMENT_ANALYSIS',
      ['analyze'],
    ),
    pins: meteredService(services.pins, 'PIN_CREATION', ['create']),
  };
}

export function graphqlDepsOf(container: Container): GraphqlRoutesDeps {
  return {
    services: meteredServices(container.services),
    repositories: container.repositories,
    publicBaseUrl: container.config.publicBaseUrl,
    maxUploadBodyBytes: uploadBodyLimit(container.config.images.maxBytes),
    limits: container.config.graphql,
    graphiql: container.config.graphiql,
  };
}

/**
 * The rate-limit categories a GraphQL operation counts in, as the REST route doing the same would:
 * a pin creation is an upload, another mutation a write, walks, searches, feed pages and experiment
 * results are expensive (also inside a mutation: both count), anything else a read. The scarcest
 * comes last, so its counts are the headers the client sees.
 */
export function rateCategoriesOf(operation: OperationTypeNode | undefined, work: readonly ExpensiveWork[]): RateCategory[] {
  const categories: RateCategory[] = [];
  if (operation === OperationTypeNode.MUTATION && !work.includes('PIN_CREATION')) categories.push('writes');
  if (work.some((kind) => kind !== 'PIN_CREATION')) categories.push('expensive');
  if (work.includes('PIN_CREATION')) categories.push('uploads');
  return categories.length > 0 ? categories : ['reads'];
}

/** How many distinct queries the automatic persisted query cache of one process remembers. */
export const PERSISTED_QUERY_CACHE_SIZE = 1000;

const GRAPHQL_MEDIA_TYPE = 'application/graphql-response+json';

/** The quality the Accept header gives `mediaType` (exact match or type/*, * / *), 0 when refused. */
function quality(accept: string, mediaType: string): number {
  let best = -1;
  let bestSpecificity = -1;
  for (const range of accept.split(',')) {
    const [name = '', ...params] = range.split(';').map((part) => part.trim().toLowerCase());
    const specificity = name === mediaType ? 2 : name === `${mediaType.split('/')[0]}/*` ? 1 : name === '*/*' ? 0 : -1;
    if (specificity < 0 || specificity < bestSpecificity) continue;
    const q = params.find((param) => param.startsWith('q='));
    bestSpecificity = specificity;
    best = q ? Number(q.slice(2)) || 0 : 1;
  }
  return Math.max(best, 0);
}

function prefersGraphqlResponse(request: FastifyRequest): boolean {
  const accept = request.headers.accept;
  if (!accept) return false;
  const graphql = quality(accept, GRAPHQL_MEDIA_TYPE);
  return graphql > 0 && graphql >= quality(accept, 'application/json');
}

/**
 * Answers a request refused before execution. The error handler waits for the reply (a thenable
 * that settles once the answer is written): returning earlier makes Fastify send a second time,
 * fail, and log and count the 400 as a 500. Refusals are the client's doing and appear in the
 * request log line with their status; only a 5xx is logged as an error.
 */
function sendRequestError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const errors = requestErrors(error);
  const status = requestStatus(errors);
  if (status >= 500) request.log.error({ err: error }, 'graphql request failed');
  return reply.status(status).send({ errors });
}

export async function graphqlRoutes(app: FastifyInstance, deps: GraphqlRoutesDeps): Promise<void> {
  // Mercurius's response schema would print numeric error paths as strings; its request schemas
  // stay. GraphQL is described by schema.graphql, so its routes stay out of the OpenAPI document.
  app.addHook('onRoute', (route) => {
    route.schema = { ...route.schema, response: undefined, hide: true };
  });
  await app.register(mercurius, {
    schema: buildGraphqlSchema(),
    path: '/graphql',
    // GraphiQL is served by graphiql.ts from npm packages; Mercurius's own page loads it from a CDN.
    graphiql: false,
    context: (request: FastifyRequest) => createContext(request, deps),
    persistedQueryProvider: mercurius.persistedQueryDefaults.automatic(PERSISTED_QUERY_CACHE_SIZE),
    errorFormatter: (execution, context) => formatExecution(execution, context.reply?.log ?? context.app.log),
    errorHandler: async (error, request, reply) => {
      await sendRequestError(error, request, reply);
    },
    // Counted in the category of what the document asks for (preExecution below). Anyone without a
    // token that may create pins, anonymous callers first, is held to BODY_LIMIT_BYTES before the body is read (body-limits.ts).
    // The web app's browser session is accepted besides bearer tokens (a token, when sent, wins);
    // a POST the cookie authenticates, query or mutation, needs the session's X-CSRF-Token
    // (session-http.ts), and GET carries queries only.
    additionalRouteOptions: { bodyLimit: deps.maxUploadBodyBytes, config: { rateCategory: 'graphql', uploadScopes: PIN_WRITE_SCOPES, session: true } },
  });

  // Before Mercurius parses and graphql-js validates: both are bounded by what checkDocument lets through.
  app.graphql.addHook('preParsing', async (_schema, source, context) => {
    const document = checkDocument(source, deps.limits);
    checkOperation(document, (context as unknown as GraphqlContext).operationName);
  });
  app.graphql.addHook('preExecution', async (schema, document, context, variables) => {
    checkVariables(variables);
    const operationName = (context as unknown as GraphqlContext).operationName;
    const limits = { maxCost: deps.limits.maxCost, maxNodes: 10 * deps.limits.maxFields };
    const { work } = assertWithinCost(limits, schema, document, variables as Record<string, unknown> | undefined, operationName);
    // Mercurius puts the reply in every context.
    const { reply } = context as unknown as { reply: FastifyReply };
    for (const category of rateCategoriesOf(getOperationAST(document, operationName)?.operation, work)) {
      await app.rateLimits.charge(reply.request, reply, category);
    }
  });

  if (deps.graphiql) await app.register(graphiqlRoutes, { endpoint: '/graphql' });

  // A person opening /graphql in a browser gets GraphiQL.
  app.addHook('onRequest', async (request, reply) => {
    if (!deps.graphiql || request.method !== 'GET' || request.routeOptions.url !== '/graphql') return;
    const accept = request.headers.accept ?? '';
    const hasQuery = typeof (request.query as { query?: unknown }).query === 'string';
    if (!hasQuery && quality(accept, 'text/html') > 0) return reply.redirect('/graphiql', 302);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    if (request.routeOptions.url !== '/graphql') return payload;
    const type = reply.getHeader('content-type');
    if (typeof type === 'string' && type.startsWith('application/json') && prefersGraphqlResponse(request)) {
      void reply.header('content-type', `${GRAPHQL_MEDIA_TYPE}; charset=utf-8`);
    }
    return payload;
  });
}
