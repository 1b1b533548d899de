// Serves the web app (web/, a React single-page app) from the API's own process: its page at `/`,
// its built files, and the same page for any other address a person opens in the browser (the app's
// own router shows the screen, or its "not found" page). The API keeps every path it had: a path
// under a first segment some route of the server uses (`/v5/...`, `/graphql`, `/media/...`,
// `/auth/...`, `/assets/...`), any method but GET and HEAD, and any request that does not ask for HTML
// still get the JSON 404. The page runs under a policy allowing only this site's scripts and styles
// (appPagePolicy: the build has no inline script).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { appPagePolicy } from '../platform/http/browser-security.js';
import type { WebAppFile, WebAppFiles } from './web-app-files.js';

export interface WebAppDeps {
  /** Null when the app was not built: the server runs without it (and logs why). */
  build: WebAppFiles | null;
  publicBaseUrl: string;
}

function send(request: FastifyRequest, reply: FastifyReply, file: WebAppFile, status = 200): FastifyReply {
  void reply
    .status(status)
    .header('content-type', file.type)
    .header('etag', file.etag)
    // The page is checked every time (it names the current build's files); those files never change.
    .header('cache-control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
    .header('vary', 'accept-encoding');
  if (status === 200 && request.headers['if-none-match'] === file.etag) return reply.status(304).send();
  if (file.gzipped && /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) {
    return reply.header('content-encoding', 'gzip').send(file.gzipped);
  }
  return reply.send(file.body);
}

/** Whether a person's browser is asking for a page (a navigation), not a script for data. */
function asksForPage(request: FastifyRequest): boolean {
  return (request.method === 'GET' || request.method === 'HEAD') && /\btext\/html\b/.test(String(request.headers.accept ?? ''));
}

function firstSegment(url: string): string {
  return url.split('?')[0]!.split('/')[1] ?? '';
}

/**
 * Registers the app's routes and returns the fallback the not-found handler asks first: it answers
 * a page address the API does not own with the app's page and says so (true).
 */
export function registerWebApp(app: FastifyInstance, deps: WebAppDeps): (request: FastifyRequest, reply: FastifyReply) => boolean {
  // First segments the server's routes use (registered from now on, which is all of them): those
  // paths stay the API's, so an unknown API path still answers the JSON 404.
  const owned = new Set<string>();
  app.addHook('onRoute', (route) => {
    const segment = firstSegment(route.url);
    if (segment !== '') owned.add(segment);
  });
  const { build } = deps;
  if (!build) return () => false;
  const policy = appPagePolicy(deps.publicBaseUrl);
  const index = build.index;

  app.get('/', { helmet: policy, config: { rateCategory: 'none' }, schema: { hide: true } }, async (request, reply) => send(request, reply, index));
  for (const [url, file] of build.files) {
    app.get(url, { helmet: policy, config: { rateCategory: 'none' }, schema: { hide: true } }, async (request, reply) => send(request, reply, file));
  }

  return (request, reply) => {
    if (!asksForPage(request) || owned.has(firstSegment(request.url))) return false;
    reply.helmet(policy.contentSecurityPolicy ? { contentSecurityPolicy: policy.contentSecurityPolicy } : undefined);
    void send(request, reply, index);
    return true;
  };
}
