// Resolves `Authorization: Bearer <token>` into `request.viewer` for every request. Routes declare
// the v5 scopes they need in `config.scopes`; a route without a token answers 401, a token without
// the scope answers 403. Routes with no `config.scopes` (sign-up, token exchange, health) are public.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { requireScopes, type Scope, type Viewer } from './viewer.js';

export interface TokenVerifier {
  /** The viewer for a bearer token, or null when the token is unknown, expired or revoked. */
  verify(token: string): Promise<Viewer | null>;
}

declare module 'fastify' {
  interface FastifyRequest {
    viewer: Viewer | null;
  }
  interface FastifyContextConfig {
    scopes?: readonly Scope[];
  }
}

function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) throw new AppError('AUTHENTICATION_FAILED');
  return match[1];
}

export function registerAuth(app: FastifyInstance, verifier: TokenVerifier): void {
  app.decorateRequest('viewer', null);
  app.addHook('onRequest', async (request) => {
    const token = bearerToken(request);
    if (token === null) return;
    const viewer = await verifier.verify(token);
    if (!viewer) throw new AppError('AUTHENTICATION_FAILED');
    request.viewer = viewer;
  });
  // Scopes are checked before body validation, so a caller without a token learns that first.
  app.addHook('preValidation', async (request) => {
    const scopes = request.routeOptions.config.scopes;
    if (scopes) requireScopes(request.viewer, scopes);
  });
}

/** The authenticated viewer of a route that declared scopes (the preHandler guarantees one). */
export function viewerOf(request: FastifyRequest): Viewer {
  if (!request.viewer) throw new AppError('AUTHENTICATION_FAILED');
  return request.viewer;
}
