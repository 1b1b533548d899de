// The practical ceiling: a bare Fastify app, no database, no auth, no validation, answering each
// scenario's requests with the real response body captured from Corkboard for that request's path
// (same status, same bytes; a write scenario, whose answers differ per request, gets one of median size). It runs as its own process, like the server it is compared with.
//
// BASELINE_BODIES names a JSON file {"<scenario>": {"status": 200, "body": "..."}}; each scenario is
// served under /baseline/<scenario>/ followed by the real request's path, for GET and POST (a POST's
// JSON body is parsed, as Corkboard parses it).
import fs from 'node:fs';
import Fastify from 'fastify';

interface CapturedResponse {
  status: number;
  body: string;
  /** Read scenarios: Corkboard's body for each path; a path not in it gets `body`. */
  byPath?: Record<string, string>;
}

const file = process.env.BASELINE_BODIES;
if (!file) throw new Error('BASELINE_BODIES must name the captured-responses file');
const responses = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, CapturedResponse>;

const app = Fastify({ logger: false, bodyLimit: 32 * 1024 * 1024 });
app.get('/readyz', async () => ({ status: 'ready' }));
for (const [scenario, response] of Object.entries(responses)) {
  const prefix = `/baseline/${scenario}`.length;
  const byPath = new Map(Object.entries(response.byPath ?? {}));
  app.route({
    method: ['GET', 'POST'],
    url: `/baseline/${scenario}/*`,
    handler: async (request, reply) =>
      reply
        .status(response.status)
        .header('content-type', 'application/json; charset=utf-8')
        .send(byPath.get(request.url.slice(prefix)) ?? response.body),
  });
}

const port = Number(process.env.PORT ?? 0);
await app.listen({ host: '127.0.0.1', port });

const stop = () => {
  app.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
