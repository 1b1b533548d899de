// How feature files contribute to the schema: SDL (types and `extend type` of shared ones), field
// resolvers per type, and how to fetch their node types by id for Query.node.
import type { GraphQLResolveInfo } from 'graphql';
import type { GraphqlContext } from './context.js';
import type { NodeType } from './relay.js';

export type FieldResolver<P, A = Record<string, never>> = (
  parent: P,
  args: A,
  context: GraphqlContext,
  info: GraphQLResolveInfo,
) => unknown;

/** A type's field resolvers; each may declare its own argument type. */
export type TypeResolvers<P> = Record<string, FieldResolver<P, never>>;

/** Loads one node by v5 id for Query.node, with the same checks and errors as the type's own query. */
export type NodeFetcher = (id: string, context: GraphqlContext) => Promise<unknown>;

export interface GraphqlModule {
  typeDefs: string;
  resolvers: Record<string, TypeResolvers<never>>;
  nodes?: Partial<Record<NodeType, NodeFetcher>>;
}
