// Builds the Fastify application without listening, so tests inject requests into it directly.
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import swagger from '@fastify/swagger';
import type { Container } from './container.js';
import type { Config } from './config.js';
import type { Logger } from 'pino';
import { requestLoggerFactory } from './platform/logging.js';
import { frameworkErrors, registerErrorHandling } from './platform/http/error-handler.js';
import { registerValidation } from './platform/http/validation.js';
import { registerAuth } from './platform/http/auth-hook.js';
import { registerInputCheck } from './platform/http/input-check.js';
import { registerBodyTypes } from './platform/http/body-types.js';
import { registerIdempotency } from './platform/http/idempotency.js';
import { registerRateLimits } from './platform/http/rate-limits.js';
import { PasswordAttempts } from './auth/password-attempts.js';
import cookie from '@fastify/cookie';
import { registerSessions, sessionCookieSettings } from './auth/session-http.js';
import { sessionRoutes } from './auth/session.rest.js';
import { registerHttpMetrics } from './platform/http/metrics.js';
import { registerOwnWrites } from './platform/http/own-writes.js';
import { registerStatementDeadline } from './platform/http/statement-deadline.js';
import { registerBrowserSecurity } from './platform/http/browser-security.js';
import { registerBodyLimits } from './platform/http/body-limits.js';
import { capConnections, capConnectionsPerAddress, trustedPeer, serverLimitOptions } from './platform/http/server-limits.js';
import { ErrorSchema } from './platform/http/schemas.js';
import { opsRoutes } from './ops/ops.rest.js';
import { documentOperation, securitySchemes } from './ops/openapi.js';
import { accountRoutes } from './accounts/accounts.rest.js';
import { oauthRoutes } from './auth/oauth.rest.js';
import { boardRoutes } from './boards/boards.rest.js';
import { followRoutes } from './follows/follows.rest.js';
import { searchRoutes } from './search/search.rest.js';
import { publicSearchRoutes } from './search/public-search.rest.js';
import { pinRoutes } from './pins/pins.rest.js';
import { mediaRoutes } from './media/media.rest.js';
import { graphqlDepsOf, graphqlRoutes } from './graphql/server.js';
import { experimentRoutes } from './experiments/experiments.rest.js';
import { homeFeedRoutes } from './feed/home/home-feed.rest.js';
import { eventRoutes } from './events/events.rest.js';
import { registerActivityTracking } from './feed/activity/activity-tracker.js';
import { relatedPinsRoutes } from './recs/recs.rest.js';
import { profileRoutes } from './profiles/profiles.rest.js';
import { registerWebApp } from './web-app/web-app.rest.js';
import { defaultWebAppDir, loadWebAppFiles, type WebAppFiles } from './web-app/web-app-files.js';

export interface AppOptions {
  /** A pino logger; without one the app logs nothing (tests). */
  logger?: FastifyBaseLogger;
  isShuttingDown?: () => boolean;
  /** The web app's build directory (default: web/dist in the project). */
  webAppDir?: string;
}

const webAppBuilds = new Map<string, WebAppFiles | null>();

/** A build is read once per process (its files stay in memory): test apps share it. */
function webAppBuild(dir: string): WebAppFiles | null {
  if (!webAppBuilds.has(dir)) webAppBuilds.set(dir, loadWebAppFiles(dir));
  return webAppBuilds.get(dir)!;
}

/** Fastify takes a hop count as "trust the first n hops" (its types omit the number form). */
function trustProxyOption(setting: Config['trustProxy']): boolean | string[] | ((address: string, hop: number) => boolean) {
  return typeof setting === 'number' ? (_address, hop) => hop < setting : setting;
}

export async function buildApp(container: Container, options: AppOptions = {}): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    loggerInstance: options.logger,
    // Above info, a request's child logger is made only if it writes a line (logging.ts).
    ...(options.logger ? { childLoggerFactory: (logger, bindings, childOptions) => requestLoggerFactory(logger as Logger, bindings, childOptions) } : {}),
    // Honour a caller's request id (a load balancer's) or make one; it is logged with every line.
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    // Body limits, header/request/keep-alive timeouts (server-limits.ts, body-limits.ts).
    ...serverLimitOptions(container.config.http),
    // TRUST_PROXY: which X-Forwarded-For hops give request.ip, the address anonymous limits count.
    trustProxy: trustProxyOption(container.config.trustProxy),
    frameworkErrors,
  });
  capConnections(app, container.config.http.maxConnections);
  capConnectionsPerAddress(app, container.config.http.maxConnectionsPerAddress, trustedPeer(container.config.trustProxy));
  // First: every answer, refusals and preflights included, carries the security headers.
  await registerBrowserSecurity(app, { corsOrigins: container.config.corsOrigins, publicBaseUrl: container.config.publicBaseUrl });
  registerOwnWrites(app, container.rowWrites, container.background.rowChanges, container.config.permissionFreshnessMs);
  registerStatementDeadline(app);
  registerValidation(app);

  app.addHook('onSend', (request, reply, payload, done) => {
    void reply.header('x-request-id', request.id);
    done(null, payload);
  });

  const webApp = webAppBuild(options.webAppDir ?? defaultWebAppDir());
  if (!webApp) options.logger?.warn('the web app is not built (web/dist): `/` answers 404 until `npm run build:web`');
  let pageFallback: ReturnType<typeof registerWebApp> = () => false;
  registerErrorHandling(app, { pageFallback: (request, reply) => pageFallback(request, reply) });
  // Before any other route: it learns which paths are the API's from every route registered after it.
  pageFallback = registerWebApp(app, { build: webApp, publicBaseUrl: container.config.publicBaseUrl });
  await app.register(formbody);
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Corkboard API',
        version: '5.0.0',
        description: "Corkboard's REST API: Pinterest API v5 paths and shapes, plus documented extensions.",
      },
      servers: [{ url: container.config.publicBaseUrl }],
      components: { securitySchemes: securitySchemes(container.config.publicBaseUrl) },
    },
    transform: documentOperation,
  });
  app.addSchema(ErrorSchema);

  registerHttpMetrics(app, container.metrics);
  // Before the auth hook: an address that sent too many unknown tokens is refused before a lookup.
  await registerRateLimits(app, {
    limits: container.config.rateLimits,
    redis: container.background.redis,
    redisKeyPrefix: container.config.redisKeyPrefix,
  });
  registerAuth(app, container.services.tokens);
  // After the scope check (a caller without a token learns that first), before body validation.
  registerInputCheck(app, ['/graphql']);
  registerBodyTypes(app, ['/graphql']);
  // After the auth hook: an upload's larger limit depends on the token's scopes.
  registerBodyLimits(app, { bodyLimitBytes: container.config.http.bodyLimitBytes });
  await app.register(cookie);
  const sessionCookies = sessionCookieSettings(container.config.publicBaseUrl, container.config.auth.sessionTtlSeconds);
  // After the bearer token, before idempotency: a session request's CSRF token is checked before a replay.
  registerSessions(app, container.services.sessions, sessionCookies);
  const passwordAttempts = PasswordAttempts.from(app.rateLimits, container.config.rateLimits);
  registerIdempotency(app, container.repositories.idempotency, container.database.units);
  // After the auth hook: every authenticated request counts as activity (fan-out reaches active people).
  registerActivityTracking(app, container.timelineParts.activity);

  await app.register(opsRoutes, {
    dependencies: container.dependencies,
    metrics: container.metrics,
    isShuttingDown: options.isShuttingDown ?? (() => false),
  });
  // Feature routes, one line per feature.
  await app.register(oauthRoutes, { tokens: container.services.tokens, passwordAttempts });
  await app.register(accountRoutes, { accounts: container.services.accounts });
  await app.register(sessionRoutes, { sessions: container.services.sessions, cookies: sessionCookies, passwordAttempts });
  await app.register(boardRoutes, {
    boards: container.services.boards,
    sections: container.services.boardSections,
    members: container.services.boardMembers,
    publicBaseUrl: container.config.publicBaseUrl,
  });
  await app.register(followRoutes, { follows: container.services.follows, publicBaseUrl: container.config.publicBaseUrl });
  await app.register(searchRoutes, { search: container.services.search, publicBaseUrl: container.config.publicBaseUrl });
  await app.register(publicSearchRoutes, { publicSearch: container.services.publicSearch, publicBaseUrl: container.config.publicBaseUrl });
  await app.register(profileRoutes, { profiles: container.services.profiles, publicBaseUrl: container.config.publicBaseUrl });
  await app.register(pinRoutes, {
    pins: container.services.pins,
    publicBaseUrl: container.config.publicBaseUrl,
    maxImageBytes: container.config.images.maxBytes,
  });
  await app.register(mediaRoutes, { media: container.services.media });
  await app.register(experimentRoutes, {
    admin: container.services.experimentAdmin,
    experiments: container.services.experiments,
    catalog: container.experimentParts.catalog,
    results: container.experimentParts.results,
    cookies: sessionCookies,
  });
  await app.register(homeFeedRoutes, { homeFeed: container.services.homeFeed, publicBaseUrl: container.config.publicBaseUrl });
  await app.register(eventRoutes, { events: container.services.engagementEvents });
  await app.register(relatedPinsRoutes, { related: container.services.relatedPins, publicBaseUrl: container.config.publicBaseUrl });
  await app.register(graphqlRoutes, graphqlDepsOf(container));

  return app;
}
