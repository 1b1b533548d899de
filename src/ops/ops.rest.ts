// Operator endpoints: liveness, readiness (the database answers), Prometheus metrics and our own
// OpenAPI document generated from the route schemas.
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.js';
import type { HttpMetrics } from '../platform/http/metrics.js';

export interface OpsDeps {
  db: Db;
  metrics: HttpMetrics;
  isShuttingDown: () => boolean;
}

export async function opsRoutes(app: FastifyInstance, deps: OpsDeps): Promise<void> {
  const hidden = { schema: { hide: true } };

  app.get('/healthz', hidden, async () => ({ status: 'ok' }));

  app.get('/readyz', hidden, async (request, reply) => {
    if (deps.isShuttingDown()) return reply.status(503).send({ status: 'shutting_down' });
    try {
      await sql`SELECT 1`.execute(deps.db);
      return { status: 'ready', database: 'ok' };
    } catch (error) {
      request.log.warn({ err: error }, 'readiness check failed');
      return reply.status(503).send({ status: 'unavailable', database: 'unreachable' });
    }
  });

  app.get('/metrics', hidden, async (_request, reply) => {
    void reply.header('content-type', deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });

  app.get('/v5/openapi.json', hidden, async () => app.swagger());
}
