// Assembles the GraphQL schema from the feature files' SDL and resolvers. The checked-in
// schema.graphql at the repository root is printSchema() of this (npm run graphql:schema), and a
// test fails when the two drift apart.
// graphql/index.js is the CommonJS build mercurius requires. Test runners that prefer the package's
// ES module build would otherwise load a second graphql-js, whose schema mercurius refuses.
import { buildSchema, isObjectType, printSchema, type GraphQLField, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql/index.js';
import { AppError } from '../platform/errors.js';
import { accountsGraphql } from '../accounts/accounts.graphql.js';
import { boardsGraphql } from '../boards/boards.graphql.js';
import { pinsGraphql } from '../pins/pins.graphql.js';
import { followsGraphql } from '../follows/follows.graphql.js';
import { searchGraphql } from '../search/search.graphql.js';
import { homeFeedGraphql } from '../feed/home/home-feed.graphql.js';
import { experimentsGraphql } from '../experiments/experiments.graphql.js';
import { relatedPinsGraphql } from '../recs/recs.graphql.js';
import { profilesGraphql } from '../profiles/profiles.graphql.js';
import { eventsGraphql } from '../events/events.graphql.js';
import type { GraphqlContext } from './context.js';
import { EXPENSIVE_WORK, costTypeDefs, declaredCost, meterExpensiveFields } from './cost.js';
import { fromGlobalId, type NodeType } from './relay.js';
import type { GraphqlModule, NodeFetcher } from './types.js';

const coreTypeDefs = /* GraphQL */ `
  "An object with a global id: base64 of 'Type:v5id' (e.g. 'Pin:123'). Query.node fetches any of them."
  interface Node {
    id: ID!
  }

  """
  Relay page information. endCursor is the REST list's bookmark for the same page (null on the
  last page); pass it as \`after\` for the next page. Pages only go forward, so hasPreviousPage is
  always false.
  """
  type PageInfo {
    hasNextPage: Boolean!
    hasPreviousPage: Boolean!
    startCursor: String
    endCursor: String
  }

  type Query {
    "Any User, Board, BoardSection or Pin by global id, with the same scopes and privacy as its own query."
    node(id: ID!): Node
  }

  type Mutation
`;

/**
 * Reads every field's @cost (a malformed one fails the start) and tells clients what a field costs
 * in its description, so schema.graphql and GraphiQL show it.
 */
function describeCosts(schema: GraphQLSchema): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const declared = declaredCost(schema, field as GraphQLField<unknown, unknown>);
      if (!declared) continue;
      const limit = declared.kind ? `; ${EXPENSIVE_WORK[declared.kind].name}: at most ${EXPENSIVE_WORK[declared.kind].perRequest} per request` : '';
      field.description = `${field.description ?? ''}\nCost: ${declared.weight} more than a plain field${limit}.`.trim();
    }
  }
}

const FEATURES: readonly GraphqlModule[] = [accountsGraphql, boardsGraphql, pinsGraphql, followsGraphql, searchGraphql, homeFeedGraphql, experimentsGraphql, relatedPinsGraphql, profilesGraphql, eventsGraphql];

function nodeResolver(fetchers: Map<NodeType, NodeFetcher>) {
  return async (_root: unknown, args: { id: string }, context: GraphqlContext): Promise<unknown> => {
    const decoded = fromGlobalId(args.id);
    const fetch = decoded ? fetchers.get(decoded.type) : undefined;
    if (!decoded || !fetch) throw new AppError('INVALID_ID', 'Not a global id.');
    return fetch(decoded.id, context);
  };
}

export function buildGraphqlSchema(): GraphQLSchema {
  const schema = buildSchema([coreTypeDefs, costTypeDefs, ...FEATURES.map((feature) => feature.typeDefs)].join('\n'));
  const fetchers = new Map<NodeType, NodeFetcher>();
  const attach = (typeName: string, fieldName: string, resolve: unknown) => {
    const type = schema.getType(typeName);
    const field = isObjectType(type) ? type.getFields()[fieldName] : undefined;
    if (!field) throw new Error(`GraphQL resolver for unknown field ${typeName}.${fieldName}`);
    field.resolve = resolve as GraphQLFieldResolver<unknown, GraphqlContext>;
  };
  for (const feature of FEATURES) {
    for (const [typeName, fields] of Object.entries(feature.resolvers)) {
      for (const [fieldName, resolve] of Object.entries(fields)) attach(typeName, fieldName, resolve);
    }
    for (const [type, fetch] of Object.entries(feature.nodes ?? {})) fetchers.set(type as NodeType, fetch);
  }
  attach('Query', 'node', nodeResolver(fetchers));
  describeCosts(schema);
  meterExpensiveFields(schema, (context) => (context as GraphqlContext).work);
  return schema;
}

/** The SDL checked in as schema.graphql. */
export function printGraphqlSchema(): string {
  return `${printSchema(buildGraphqlSchema())}\n`;
}
