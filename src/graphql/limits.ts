// What a GraphQL request may ask for, checked before anything runs: the query text's size, how deep
// its selections nest, `first` on every connection (1..250, as REST's page_size), and a cost where
// connection sizes multiply. A document over any limit is refused whole with a stable code; none of
// its fields (or mutations) execute.
import { GraphQLError, Kind, type ASTVisitor, type DocumentNode, type FragmentDefinitionNode, type GraphQLSchema, type SelectionSetNode, type ValidationContext } from 'graphql/index.js';
import { getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';
import { AppError } from '../platform/errors.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../platform/http/pagination.js';

export const GRAPHQL_LIMITS = {
  /** Bytes of query text (UTF-8). GraphiQL's introspection query is about 2 KB. */
  maxQueryBytes: 16 * 1024,
  /**
   * Nesting of selections; introspection fields (__schema, __type) do not count. Each connection
   * takes two levels (edges, node), so 12 allows a list of boards, their pins, and each pin's board
   * and owner.
   */
  maxDepth: 12,
  /**
   * Every field costs 1; a connection costs 1 + first x (the cost of what is selected per item). So
   * a board's 250 pins with their board, pinner and section cost about 2,500, and 100 boards with
   * 100 pins each about 40,000, over the limit.
   */
  maxCost: 25_000,
} as const;

export function assertQuerySize(source: string): void {
  const bytes = Buffer.byteLength(source, 'utf8');
  if (bytes > GRAPHQL_LIMITS.maxQueryBytes) {
    throw new AppError('QUERY_TOO_LARGE', `The query is ${bytes} bytes; the limit is ${GRAPHQL_LIMITS.maxQueryBytes}.`);
  }
}

/** A validation rule: refuses an operation whose selections nest deeper than `maxDepth`. */
export function depthLimitRule(maxDepth: number) {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of context.getDocument().definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
    const depthOf = (selectionSet: SelectionSetNode, visiting: ReadonlySet<string>): number => {
      let deepest = 0;
      for (const selection of selectionSet.selections) {
        let depth: number;
        if (selection.kind === Kind.FIELD) {
          if (selection.name.value.startsWith('__')) continue;
          depth = 1 + (selection.selectionSet ? depthOf(selection.selectionSet, visiting) : 0);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          depth = depthOf(selection.selectionSet, visiting);
        } else {
          const name = selection.name.value;
          const fragment = fragments.get(name);
          // Cycles and unknown fragments are reported by the standard rules.
          if (!fragment || visiting.has(name)) continue;
          depth = depthOf(fragment.selectionSet, new Set([...visiting, name]));
        }
        deepest = Math.max(deepest, depth);
      }
      return deepest;
    };
    return {
      OperationDefinition(operation) {
        const depth = depthOf(operation.selectionSet, new Set());
        if (depth > maxDepth) {
          context.reportError(
            new GraphQLError(`The query is nested ${depth} levels deep; the limit is ${maxDepth}.`, {
              nodes: [operation],
              extensions: { code: 'QUERY_TOO_DEEP' },
            }),
          );
        }
      },
    };
  };
}

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
  if (cost > GRAPHQL_LIMITS.maxCost) {
    throw new AppError('QUERY_TOO_COMPLEX', `The query costs ${cost}; the limit is ${GRAPHQL_LIMITS.maxCost}.`);
  }
  return cost;
}
