// The cost of a GraphQL operation, checked after validation and before anything runs. Every field
// costs 1; a connection costs 1 + `first` x what each item selects (`first` must be 1..250, as REST's
// page_size); a field doing expensive work declares its cost next to its definition in the SDL:
//
//   relatedPins(first: Int = 25, after: String): PinConnection @cost(weight: 1000, kind: RELATED_PINS_WALK)
//
// `weight` is added to the operation's cost each time the field runs, and `kind` names the work it
// does, of which one request may do a little (EXPENSIVE_WORK): a field under a connection runs once
// per item, so `pins(first: 250) { edges { node { relatedPins } } } }` is 250 walks, and refused.
// A document over either limit is refused whole; none of its fields (or mutations) run.
import { AsyncLocalStorage } from 'node:async_hooks';
import {
  getDirectiveValues,
  isObjectType,
  type DocumentNode,
  type GraphQLDirective,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from 'graphql/index.js';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import { AppError } from '../platform/errors.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../platform/http/pagination.js';

/** Expensive work, and how much of it one request may do. */
export const EXPENSIVE_WORK = {
  RELATED_PINS_WALK: { perRequest: 3, name: 'related-pins walks', detail: 'a random walk on the pin-board graph each' },
  SEARCH: { perRequest: 3, name: 'searches', detail: "a full-text query over the viewer's pins or boards, or everyone's public pins, each" },
  HOME_FEED: { perRequest: 1, name: 'home feed pages', detail: 'a blend of timelines and picked-for-you walks' },
  EXPERIMENT_RESULTS: { perRequest: 3, name: 'experiment results', detail: 'aggregates over every exposure and event of an experiment' },
  EXPERIMENT_ANALYSIS: { perRequest: 2, name: 'experiment analyses', detail: 'the statistics of up to 100 posted metrics each' },
  PIN_CREATION: { perRequest: 1, name: 'pin creations', detail: 'an image download, decode and resize each' },
} as const satisfies Record<string, { perRequest: number; name: string; detail: string }>;

export type ExpensiveWork = keyof typeof EXPENSIVE_WORK;

/** The @cost directive and the kinds of work it names, for the schema's SDL. */
export const costTypeDefs = /* GraphQL */ `
  """
  What a field costs beyond the 1 of every field: \`weight\` each time it runs, and the kind of
  expensive work it does, of which one request may do a limited amount (docs/graphql.md#cost).
  """
  directive @cost(weight: Int!, kind: ExpensiveWork) on FIELD_DEFINITION

  "Expensive work a field may do; each kind has a limit per request."
  enum ExpensiveWork {
${Object.entries(EXPENSIVE_WORK)
  .map(([kind, { perRequest, name, detail }]) => `    "At most ${perRequest} per request: ${name} (${detail})."\n    ${kind}`)
  .join('\n')}
  }
`;

export interface DeclaredCost {
  weight: number;
  kind: ExpensiveWork | undefined;
}

const declarations = new WeakMap<GraphQLField<unknown, unknown>, DeclaredCost | null>();

/** The field's @cost, read from its SDL definition (once per field). */
export function declaredCost(schema: GraphQLSchema, field: GraphQLField<unknown, unknown>): DeclaredCost | undefined {
  let declared = declarations.get(field);
  if (declared === undefined) {
    const directive = schema.getDirective('cost') as GraphQLDirective;
    const values = field.astNode ? getDirectiveValues(directive, field.astNode) : undefined;
    declared = values ? { weight: values.weight as number, kind: values.kind as ExpensiveWork | undefined } : null;
    declarations.set(field, declared);
  }
  return declared ?? undefined;
}

function isConnection(field: GraphQLField<unknown, unknown>): boolean {
  return field.args.some((arg) => arg.name === 'first');
}

/** Sizes of the connections of one estimate; an out-of-range `first` is noted and counted as 250. */
function sizeOf(args: Record<string, unknown>, badFirsts: unknown[]): number {
  const first: unknown = args.first ?? DEFAULT_PAGE_SIZE;
  if (typeof first === 'number' && Number.isInteger(first) && first >= 1 && first <= MAX_PAGE_SIZE) return first;
  badFirsts.push(first);
  return MAX_PAGE_SIZE;
}

/**
 * `own(field)` is what one run of the field adds; a connection multiplies what its items select by
 * `first`. With own = 1 + weight this is the operation's cost; with own = 1 for the fields of one
 * kind (0 for others), how many times that kind of work runs.
 */
function estimator(schema: GraphQLSchema, own: (declared: DeclaredCost | undefined) => number, badFirsts: unknown[]): ComplexityEstimator {
  return ({ field, args, childComplexity }) => {
    const ownCost = own(declaredCost(schema, field as GraphQLField<unknown, unknown>));
    const items = isConnection(field as GraphQLField<unknown, unknown>) ? sizeOf(args, badFirsts) : 1;
    return ownCost + items * childComplexity;
  };
}

export interface CostLimits {
  maxCost: number;
  /** Nodes graphql-query-complexity may visit; the document check keeps documents far below it. */
  maxNodes: number;
}

/**
 * Throws INVALID_PARAMETERS for a `first` outside 1..250, QUERY_TOO_COMPLEX over the cost limit and
 * QUERY_TOO_EXPENSIVE past the per-request amount of one kind of work; answers the cost and the
 * kinds of expensive work the operation would do.
 */
export function assertWithinCost(
  limits: CostLimits,
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | null,
): { cost: number; work: ExpensiveWork[] } {
  const badFirsts: unknown[] = [];
  const estimate = (own: (declared: DeclaredCost | undefined) => number): number => {
    try {
      return getComplexity({
        schema,
        query: document,
        variables: variables ?? {},
        ...(operationName ? { operationName } : {}),
        estimators: [estimator(schema, own, badFirsts)],
        maxQueryNodes: limits.maxNodes,
      });
    } catch (error) {
      // Variables that do not fit the operation (missing, wrong type).
      throw new AppError('GRAPHQL_VALIDATION_FAILED', error instanceof Error ? error.message : undefined);
    }
  };
  const cost = estimate((declared) => 1 + (declared?.weight ?? 0));
  if (badFirsts.length > 0) {
    throw new AppError('INVALID_PARAMETERS', `Invalid arguments: first must be between 1 and ${MAX_PAGE_SIZE} (got ${String(badFirsts[0])}).`);
  }
  const work: ExpensiveWork[] = [];
  for (const [kind, { perRequest, name }] of Object.entries(EXPENSIVE_WORK)) {
    const runs = estimate((declared) => (declared?.kind === kind ? 1 : 0));
    if (runs > perRequest) throw new AppError('QUERY_TOO_EXPENSIVE', `The query asks for ${runs} ${name}; one request may do ${perRequest}.`);
    if (runs > 0) work.push(kind as ExpensiveWork);
  }
  if (cost > limits.maxCost) {
    throw new AppError('QUERY_TOO_COMPLEX', `The query costs ${cost}; the limit is ${limits.maxCost}.`);
  }
  return { cost, work };
}

/** The kind of expensive work the field now resolving has declared (see meterExpensiveFields). */
const declaredWork = new AsyncLocalStorage<ExpensiveWork>();

/** Counts the expensive work one request did, field by field, as it runs. */
export class WorkMeter {
  private readonly done = new Map<ExpensiveWork, number>();

  spend(kind: ExpensiveWork): void {
    const runs = (this.done.get(kind) ?? 0) + 1;
    this.done.set(kind, runs);
    // The estimate refuses such a query before it runs; this holds if an estimate were ever wrong.
    const { perRequest, name } = EXPENSIVE_WORK[kind];
    if (runs > perRequest) throw new AppError('QUERY_TOO_EXPENSIVE', `One request may do ${perRequest} ${name}.`);
  }
}

/**
 * Wraps the resolver of every field that declares a kind of work: each run is counted against the
 * request's meter, and runs with its kind declared, which `meteredService` checks.
 */
export function meterExpensiveFields(schema: GraphQLSchema, meterOf: (context: unknown) => WorkMeter): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const kind = declaredCost(schema, field as GraphQLField<unknown, unknown>)?.kind;
      const resolve = field.resolve;
      if (!kind || !resolve) continue;
      const metered: GraphQLFieldResolver<unknown, unknown> = (parent, args, context, info) => {
        meterOf(context).spend(kind);
        return declaredWork.run(kind, () => resolve(parent, args, context, info));
      };
      field.resolve = metered;
    }
  }
}

/**
 * A service whose `methods` do `kind` of work, usable by GraphQL only from a field that declares it:
 * a field reaching it without `@cost(kind: ...)` fails (INTERNAL, logged), so the test that runs a
 * new field finds the missing declaration before any client can.
 */
export function meteredService<S extends object>(service: S, kind: ExpensiveWork, methods: ReadonlyArray<keyof S & string>): S {
  const guarded = new Set<string | symbol>(methods);
  return new Proxy(service, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (!guarded.has(property) || typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const declared = declaredWork.getStore();
        if (declared !== kind) {
          throw new Error(`${String(property)} does ${kind} work, but the GraphQL field calling it declares ${declared ?? 'no'} @cost kind`);
        }
        return (value as (...inner: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}
