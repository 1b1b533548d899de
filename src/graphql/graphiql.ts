// GraphiQL at GET /graphiql, served whole by this server: nothing is fetched from a CDN, so the page
// works offline and runs no third-party code next to the token a person pastes into it.
//
// The IDE is The Guild's build of GraphiQL (@graphql-yoga/render-graphiql, the IDE of GraphQL Yoga):
// one prebuilt script with its own React inside, plus the CSS and the Monaco editor's three worker
// scripts. Keeping React inside that bundle keeps it apart from whatever React the web app uses.
// The page itself has no inline script (the start script is a file of its own), so it runs under a
// Content-Security-Policy of `script-src 'self'` and `worker-src 'self'` (docs/graphql.md#graphiql),
// which the page and its files (the workers take theirs from their own answer) are served with.
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { scriptedPagePolicy } from '../platform/http/browser-security.js';

const gzipAsync = promisify(gzip);

export interface GraphiqlOptions {
  /** Path of the GraphQL endpoint the IDE queries. */
  endpoint: string;
}

interface Asset {
  type: string;
  body: Buffer;
  etag: string;
  /** Made on first request of a client that accepts gzip (the IDE's script is 5 MB, 1.4 MB gzipped). */
  gzipped?: Promise<Buffer>;
}

const ASSETS = '/graphiql/assets';
const WORKERS = { editorWorkerService: 'editor-worker.js', json: 'json-worker.js', graphql: 'graphql-worker.js' } as const;

function page(): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="robots" content="noindex" />
    <title>Corkboard GraphiQL</title>
    <link rel="icon" href="${ASSETS}/favicon.ico" />
    <link rel="stylesheet" href="${ASSETS}/graphiql.css" />
    <link rel="stylesheet" href="${ASSETS}/page.css" />
  </head>
  <body>
    <noscript>GraphiQL needs JavaScript.</noscript>
    <div id="graphiql"></div>
    <script src="${ASSETS}/graphiql.js"></script>
    <script src="${ASSETS}/start.js"></script>
  </body>
</html>
`;
}

const PAGE_CSS = 'html, body, #graphiql { height: 100%; margin: 0; }\n';

/** Tells Monaco where its workers are (same origin), then renders the IDE against `endpoint`. */
function startScript(options: GraphiqlOptions): string {
  const workers = Object.fromEntries(Object.entries(WORKERS).map(([label, file]) => [label, `${ASSETS}/${file}`]));
  const settings = { endpoint: options.endpoint, title: 'Corkboard GraphiQL' };
  return `'use strict';
(function () {
  var workers = ${JSON.stringify(workers)};
  self.MonacoEnvironment = {
    globalAPI: false,
    getWorkerUrl: function (_moduleId, label) {
      return workers[label] || workers.editorWorkerService;
    },
  };
  YogaGraphiQL.renderYogaGraphiQL(document.getElementById('graphiql'), ${JSON.stringify(settings)});
})();
`;
}

function asset(type: string, body: string | Buffer): Asset {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return { type, body: bytes, etag: `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}"` };
}

/** The IDE's files, read from the npm package on first use (9 MB of strings: not at start-up). */
async function loadAssets(options: GraphiqlOptions): Promise<Map<string, Asset>> {
  const ide = await import('@graphql-yoga/render-graphiql/graphiql');
  const javascript = 'application/javascript; charset=utf-8';
  const favicon = /^data:([^;]+);base64,(.*)$/.exec(ide.favicon);
  return new Map<string, Asset>([
    ['graphiql.js', asset(javascript, ide.js)],
    ['graphiql.css', asset('text/css; charset=utf-8', ide.css)],
    ['page.css', asset('text/css; charset=utf-8', PAGE_CSS)],
    ['start.js', asset(javascript, startScript(options))],
    [WORKERS.editorWorkerService, asset(javascript, ide.editorWorkerService)],
    [WORKERS.json, asset(javascript, ide.jsonWorker)],
    [WORKERS.graphql, asset(javascript, ide.graphqlWorker)],
    ...(favicon ? [['favicon.ico', asset(favicon[1]!, Buffer.from(favicon[2]!, 'base64'))] as const] : []),
  ]);
}

async function sendAsset(request: FastifyRequest, reply: FastifyReply, found: Asset): Promise<FastifyReply> {
  void reply.header('content-type', found.type).header('etag', found.etag).header('cache-control', 'public, max-age=3600');
  if (request.headers['if-none-match'] === found.etag) return reply.status(304).send();
  const acceptsGzip = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
  if (!acceptsGzip || found.body.length < 1024) return reply.send(found.body);
  found.gzipped ??= gzipAsync(found.body);
  return reply.header('content-encoding', 'gzip').header('vary', 'accept-encoding').send(await found.gzipped);
}

export async function graphiqlRoutes(app: FastifyInstance, options: GraphiqlOptions): Promise<void> {
  let assets: Promise<Map<string, Asset>> | undefined;
  const html = asset('text/html; charset=utf-8', page());

  app.get('/graphiql', { helmet: scriptedPagePolicy, schema: { hide: true } }, async (request, reply) => sendAsset(request, reply, html));

  app.get<{ Params: { file: string } }>(`${ASSETS}/:file`, { helmet: scriptedPagePolicy, schema: { hide: true } }, async (request, reply) => {
    assets ??= loadAssets(options);
    const found = (await assets).get(request.params.file);
    if (!found) {
      reply.callNotFound();
      return reply;
    }
    return sendAsset(request, reply, found);
  });
}
