// The per-request GraphQL context: who is asking (resolved by the same bearer-token hook as REST),
// the services the REST routes call, and fresh DataLoaders.
import type { FastifyRequest } from 'fastify';
import type { Container } from '../container.js';
import type { Scope, Viewer } from '../platform/http/viewer.js';
import { requireScopes } from '../platform/http/viewer.js';
import { createLoaders, type Loaders } from './loaders.js';
import { WorkMeter } from './cost.js';

export interface GraphqlDeps {
  services: Container['services'];
  repositories: Container['repositories'];
  publicBaseUrl: string;
}

export interface GraphqlContext {
  viewer: Viewer | null;
  services: Container['services'];
  loaders: Loaders;
  publicBaseUrl: string;
  /** The operation the request names (for the cost limit of multi-operation documents). */
  operationName: string | null;
  /** The expensive work (walks, searches...) the request's fields did so far. */
  work: WorkMeter;
}

export function createContext(request: FastifyRequest, deps: GraphqlDeps): GraphqlContext {
  const params = (request.method === 'GET' ? request.query : request.body) as { operationName?: unknown } | null;
  const operationName = typeof params?.operationName === 'string' ? params.operationName : null;
  return {
    viewer: request.viewer,
    services: deps.services,
    loaders: createLoaders(deps, request.viewer),
    publicBaseUrl: deps.publicBaseUrl,
    operationName,
    work: new WorkMeter(),
  };
}

/** The viewer, when signed in with every scope the field's REST twin requires (401 / 403 otherwise). */
export function viewerWith(context: GraphqlContext, scopes: readonly Scope[]): Viewer {
  return requireScopes(context.viewer, scopes);
}
