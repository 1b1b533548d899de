// Refuses, before validation and before any handler, REST inputs no handler can use (input-values.ts):
// a NUL character in any text of the body, query string or path, or values nested too deeply. One
// hook for every route, so a new route or field is covered without anyone remembering to.
// GraphQL checks its own inputs (document literals and variables) and answers in GraphQL's shape.
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.js';
import { MAX_INPUT_DEPTH, findInputProblem } from '../input-values.js';

const PARTS = [
  ['path', (request: { params: unknown }) => request.params],
  ['query string', (request: { query: unknown }) => request.query],
  ['body', (request: { body: unknown }) => request.body],
] as const;

export function registerInputCheck(app: FastifyInstance, skipRoutes: readonly string[]): void {
  app.addHook('preValidation', async (request) => {
    if (request.routeOptions.url !== undefined && skipRoutes.includes(request.routeOptions.url)) return;
    for (const [part, read] of PARTS) {
      const problem = findInputProblem(read(request));
      if (!problem) continue;
      const field = problem.path || 'value';
      throw new AppError(
        'INVALID_PARAMETERS',
        problem.kind === 'nul'
          ? `Invalid ${part}: ${field} may not contain NUL (U+0000) characters.`
          : `Invalid ${part}: ${field} nests objects and lists more than ${MAX_INPUT_DEPTH} levels deep.`,
      );
    }
  });
}
