// The first check a GraphQL document meets, before graphql-js validates it and before anything is
// loaded or resolved: parse with a token cap, then one pass over the document that measures every
// operation with its fragments expanded (fields, depth, aliases) without expanding anything.
//
// Each fragment is measured once and its measure reused at every spread, so the pass is linear in
// the document: `fragment F0 { ...F1 ...F1 } ... fragment F40 { __typename }` selects 2^40 fields,
// and is refused after reading its 41 fragments once. graphql-js's own rules and the cost estimate
// run only on documents that passed, so their work is bounded by these limits.
import { GraphQLError, Kind, OperationTypeNode, getOperationAST, parse, visit, type DefinitionNode, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql/index.js';
import type { GraphqlLimits } from '../config.js';
import { AppError } from '../platform/errors.js';
import { MAX_INPUT_DEPTH, NUL_REFUSED, TOO_DEEP_REFUSED, findInputProblem } from '../platform/input-values.js';

/** Bytes of query text (UTF-8). GraphiQL's introspection query is about 2 KB. */
export const MAX_QUERY_BYTES = 16 * 1024;

/** What an operation (or a fragment) selects once every spread in it is expanded. */
interface Measure {
  /** Field selections. */
  fields: number;
  /** Selection nesting, introspection fields (`__schema`, `__type`, `__typename`) not counted. */
  depth: number;
  aliases: number;
}

const NOTHING: Measure = { fields: 0, depth: 0, aliases: 0 };

export function assertQuerySize(source: string): void {
  const bytes = Buffer.byteLength(source, 'utf8');
  if (bytes > MAX_QUERY_BYTES) {
    throw new AppError('QUERY_TOO_LARGE', `The query is ${bytes} bytes; the limit is ${MAX_QUERY_BYTES}.`);
  }
}

/** graphql-js's own wording when `maxTokens` stops the parser. */
const TOO_MANY_TOKENS = /^Syntax Error: Document contains more that \d+ tokens/;

function parseBounded(source: string, maxTokens: number): DocumentNode {
  try {
    return parse(source, { maxTokens });
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    if (TOO_MANY_TOKENS.test(error.message)) {
      throw new AppError('QUERY_TOO_MANY_TOKENS', `The query has more than ${maxTokens} tokens; the limit is ${maxTokens}.`);
    }
    // Refused here, the text never reaches Mercurius, which would try to read it as a JSON AST.
    throw new AppError('GRAPHQL_PARSE_FAILED', error.message);
  }
}

/** Measures selection sets; each named fragment once, whatever the number of its spreads. */
class DocumentMeasurer {
  private readonly fragments = new Map<string, FragmentDefinitionNode>();
  private readonly measured = new Map<string, Measure>();
  private readonly inProgress = new Set<string>();

  constructor(definitions: readonly DefinitionNode[]) {
    for (const definition of definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) this.fragments.set(definition.name.value, definition);
    }
  }

  fragment(name: string): Measure {
    const known = this.measured.get(name);
    if (known) return known;
    const fragment = this.fragments.get(name);
    // Unknown fragments and cycles are refused by graphql-js's rules (KnownFragmentNames,
    // NoFragmentCycles); measuring them as empty keeps this pass finite.
    if (!fragment || this.inProgress.has(name)) return NOTHING;
    this.inProgress.add(name);
    const measure = this.selectionSet(fragment.selectionSet);
    this.inProgress.delete(name);
    this.measured.set(name, measure);
    return measure;
  }

  selectionSet(selectionSet: SelectionSetNode): Measure {
    let fields = 0;
    let depth = 0;
    let aliases = 0;
    for (const selection of selectionSet.selections) {
      let inner: Measure;
      let selectionDepth: number;
      if (selection.kind === Kind.FIELD) {
        inner = selection.selectionSet ? this.selectionSet(selection.selectionSet) : NOTHING;
        fields += 1;
        if (selection.alias) aliases += 1;
        // Introspection nesting has its own rule (graphql-js's MaxIntrospectionDepthRule).
        selectionDepth = selection.name.value.startsWith('__') ? 0 : 1 + inner.depth;
      } else {
        inner = selection.kind === Kind.INLINE_FRAGMENT ? this.selectionSet(selection.selectionSet) : this.fragment(selection.name.value);
        selectionDepth = inner.depth;
      }
      // Sums may pass 2^53 (or reach Infinity) on hostile documents; they are only compared.
      fields += inner.fields;
      aliases += inner.aliases;
      depth = Math.max(depth, selectionDepth);
    }
    return { fields, depth, aliases };
  }
}

function refuse(kind: 'QUERY_TOO_MANY_FIELDS' | 'QUERY_TOO_DEEP' | 'QUERY_TOO_MANY_ALIASES', message: string): never {
  throw new AppError(kind, message);
}

const count = (value: number): string => (Number.isSafeInteger(value) ? value.toLocaleString('en-US') : 'more than 2^53');

/**
 * Refuses a request whose operationName the document does not define (or that names none in a
 * document of several). Checked first: Mercurius's GET check and the cost estimate assume it.
 */
export function checkOperation(document: DocumentNode, operationName: string | null): void {
  if (getOperationAST(document, operationName)) return;
  throw new AppError(
    'GRAPHQL_VALIDATION_FAILED',
    operationName ? `Unknown operation named "${operationName}".` : 'Must provide operation name if query contains multiple operations.',
  );
}

/**
 * Refuses variables that are not an object (GET's `variables=false` parses to a boolean, which
 * graphql-js would throw on as an internal error), that hold a NUL character (in a string or an
 * object key) or that nest too deeply.
 */
export function checkVariables(variables: unknown): void {
  if (variables !== undefined && variables !== null && (typeof variables !== 'object' || Array.isArray(variables))) {
    throw new AppError('INVALID_PARAMETERS', 'Invalid request: variables must be a JSON object.');
  }
  const problem = findInputProblem(variables);
  if (problem) throw new AppError('INVALID_PARAMETERS', problem.kind === 'nul' ? NUL_REFUSED : TOO_DEEP_REFUSED);
}

/**
 * Parses `source` and checks it against the document limits; answers the document, or throws the
 * AppError of the first limit it breaks. Also refuses what this server never runs (subscriptions)
 * and text inputs holding NUL characters, which no stored text may contain.
 */
export function checkDocument(source: string, limits: GraphqlLimits): DocumentNode {
  assertQuerySize(source);
  const document = parseBounded(source, limits.maxTokens);

  let directives = 0;
  let valueDepth = 0;
  const nest = {
    enter() {
      valueDepth += 1;
      if (valueDepth > MAX_INPUT_DEPTH) throw new AppError('INVALID_PARAMETERS', TOO_DEEP_REFUSED);
    },
    leave() {
      valueDepth -= 1;
    },
  };
  // graphql-js's visit keeps its own stack: no recursion, whatever the document's nesting.
  visit(document, {
    Directive() {
      directives += 1;
    },
    StringValue(node) {
      if (node.value.includes('\u0000')) throw new AppError('INVALID_PARAMETERS', NUL_REFUSED);
    },
    ObjectValue: nest,
    ListValue: nest,
  });
  if (directives > limits.maxDirectives) {
    throw new AppError('QUERY_TOO_MANY_DIRECTIVES', `The query uses ${directives} directives; the limit is ${limits.maxDirectives}.`);
  }

  const measurer = new DocumentMeasurer(document.definitions);
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    if (definition.operation === OperationTypeNode.SUBSCRIPTION) {
      throw new AppError('GRAPHQL_VALIDATION_FAILED', 'Subscriptions are not supported: the schema has no subscription type.');
    }
    const { fields, depth, aliases } = measurer.selectionSet(definition.selectionSet);
    const name = definition.name ? `Operation ${definition.name.value}` : 'The operation';
    if (fields > limits.maxFields) {
      refuse('QUERY_TOO_MANY_FIELDS', `${name} selects ${count(fields)} fields once its fragments are expanded; the limit is ${limits.maxFields}.`);
    }
    if (depth > limits.maxDepth) refuse('QUERY_TOO_DEEP', `${name} is nested ${depth} levels deep; the limit is ${limits.maxDepth}.`);
    if (aliases > limits.maxAliases) {
      refuse('QUERY_TOO_MANY_ALIASES', `${name} uses ${count(aliases)} aliases once its fragments are expanded; the limit is ${limits.maxAliases}.`);
    }
  }
  return document;
}
