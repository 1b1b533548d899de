// Helpers for GraphQL tests: send a document as a user and read the response, and count the SQL
// statements a request runs.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { TestApp, TestUser } from '../../test/support/test-app.js';

export interface GraphqlErrorJson {
  message: string;
  path?: Array<string | number>;
  extensions: { code: string; v5Code: number };
}

export interface GraphqlResponse<D = Record<string, unknown>> {
  status: number;
  data: D | null | undefined;
  errors: GraphqlErrorJson[];
  /** The whole body, for checks on its shape (e.g. no `data` entry on request errors). */
  body: { data?: D | null; errors?: GraphqlErrorJson[] };
}

export async function gql<D = Record<string, unknown>>(
  t: TestApp,
  as: TestUser | string | null,
  query: string,
  variables?: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Promise<GraphqlResponse<D>> {
  const res = await t.request({ method: 'POST', url: '/graphql', as, payload: { query, variables, ...extra } });
  const body = res.json<GraphqlResponse<D>['body']>();
  return { status: res.statusCode, data: body.data, errors: body.errors ?? [], body };
}

/** Runs `work` and returns how many SQL statements it sent (token lookup included). */
const countedWork = new AsyncLocalStorage<symbol>();

export async function countStatements(t: TestApp, work: () => Promise<unknown>): Promise<{ count: number; statements: string[] }> {
  const statements: string[] = [];
  const mine = Symbol('counted');
  // Only the statements `work` itself sends (its async context), not the background readers' and jobs'.
  const stop = t.container.database.statements.watch((sql) => {
    if (countedWork.getStore() === mine) statements.push(sql);
  });
  try {
    await countedWork.run(mine, work);
  } finally {
    stop();
  }
  return { count: statements.length, statements };
}

/** The codes of a response's errors, in order. */
export function codes(response: { errors: GraphqlErrorJson[] }): string[] {
  return response.errors.map((error) => error.extensions.code);
}
