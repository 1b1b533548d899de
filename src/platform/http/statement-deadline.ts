// Every PostgreSQL statement a request makes is bounded by DATABASE_QUERY_TIMEOUT_MS: a database that
// stops answering (a network partition) turns the request into a 503 instead of a hang. Background
// work runs outside requests and is not bounded (platform/db/postgres-pool.ts).
import type { FastifyInstance } from 'fastify';
import { boundingStatements } from '../db/postgres-pool.js';

export function registerStatementDeadline(app: FastifyInstance): void {
  app.addHook('onRequest', (_request, _reply, done) => boundingStatements(() => done()));
}
