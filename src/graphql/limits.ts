// The cost of a GraphQL operation, checked after validation and before anything runs: `first` on
// every connection (1..250, as REST's page_size), and a cost where connection sizes multiply. A
// document over the limit is refused whole with a stable code; none of its fields (or mutations)
// execute.
import type { DocumentNode, GraphQLSchema } from 'graphql/index.js';
import { getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';
import { AppError } from '../platform/errors.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../platform/http/pagination.js';

/** A connection's cost multiplies what each item selects by `first`; out-of-range `first`s are noted. */
function connectionEstimator(badFirsts: unknown[]): ComplexityEstimator {
  return ({ field, args, childComplexity }) => {
    if (!field.args.some((arg) => arg.name === 'first')) return undefined;
    const first: unknown = args.first ?? DEFAULT_PAGE_SIZE;
    if (typeof first !== 'number' || !Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
      badFirsts.push(first);
      return 1 + MAX_PAGE_SIZE * childComplexity;
    }
    return 1 + first * childComplexity;
  };
}

/** Throws INVALID_PARAMETERS for a `first` outside 1..250 and QUERY_TOO_COMPLEX over the cost limit. */
export function assertWithinCost(
  maxCost: number,
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | null,
): number {
  const badFirsts: unknown[] = [];
  let cost: number;
  try {
    cost = getComplexity({
      schema,
      query: document,
      variables: variables ?? {},
      ...(operationName ? { operationName } : {}),
      estimators: [connectionEstimator(badFirsts), simpleEstimator({ defaultComplexity: 1 })],
    });
  } catch (error) {
    // Variables that do not fit the operation (missing, wrong type).
    throw new AppError('GRAPHQL_VALIDATION_FAILED', error instanceof Error ? error.message : undefined);
  }
  if (badFirsts.length > 0) {
    throw new AppError(
      'INVALID_PARAMETERS',
      `Invalid arguments: first must be between 1 and ${MAX_PAGE_SIZE} (got ${String(badFirsts[0])}).`,
    );
  }
  if (cost > maxCost) {
    throw new AppError('QUERY_TOO_COMPLEX', `The query costs ${cost}; the limit is ${maxCost}.`);
  }
  return cost;
}
