// POST /v5/oauth/token and /v5/oauth/token/revoke, form-encoded as in Pinterest's API.
import { Type } from 'typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { AppError } from '../platform/errors.js';
import { ErrorSchema } from '../platform/http/schemas.js';
import type { TokenService } from './token.service.js';
import type { PasswordAttempts } from './password-attempts.js';
import { clientAddress } from '../platform/http/rate-limits.js';

const TokenRequest = Type.Object(
  {
    grant_type: Type.String(),
    username: Type.Optional(Type.String({ maxLength: 254 })),
    password: Type.Optional(Type.String({ maxLength: 256 })),
    refresh_token: Type.Optional(Type.String({ maxLength: 256 })),
    scope: Type.Optional(Type.String({ maxLength: 1024 })),
    // Accepted for compatibility with clients that always send them; first-party grants ignore them.
    client_id: Type.Optional(Type.String()),
    client_secret: Type.Optional(Type.String()),
    continuous_refresh: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

const TokenResponse = Type.Object({
  access_token: Type.String(),
  refresh_token: Type.String(),
  token_type: Type.Literal('bearer'),
  expires_in: Type.Integer(),
  refresh_token_expires_in: Type.Integer(),
  refresh_token_expires_at: Type.Integer(),
  scope: Type.String(),
  response_type: Type.String(),
});

const RevokeRequest = Type.Object(
  { token: Type.String({ minLength: 1, maxLength: 256 }), token_type_hint: Type.Optional(Type.String()) },
  { additionalProperties: false },
);

export async function oauthRoutes(app: FastifyInstance, deps: { tokens: TokenService; passwordAttempts: PasswordAttempts }): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  api.post(
    '/v5/oauth/token',
    {
      // The answer is the secret: never recorded for Idempotency-Key replays (a retry issues anew).
      config: { idempotency: { off: true }, rateCategory: 'authentication' },
      schema: {
        tags: ['oauth'],
        operationId: 'oauth/token',
        consumes: ['application/x-www-form-urlencoded'],
        body: TokenRequest,
        response: { 200: TokenResponse, 400: ErrorSchema, 429: ErrorSchema },
      },
    },
    async (request, reply) => {
      // RFC 6749 section 5.1: token answers are never cached.
      void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
      const body = request.body;
      switch (body.grant_type) {
        case 'password': {
          const { username, password } = body;
          if (!username || !password) {
            throw new AppError('INVALID_PARAMETERS', 'grant_type=password needs username and password.');
          }
          // Counted per username before the password is checked (password-attempts.ts).
          await deps.passwordAttempts.admit(username, clientAddress(request));
          const grant = await deps.tokens.passwordGrant(username, password, body.scope);
          await deps.passwordAttempts.succeeded(username, clientAddress(request));
          return grant;
        }
        case 'refresh_token':
          if (!body.refresh_token) throw new AppError('INVALID_PARAMETERS', 'grant_type=refresh_token needs refresh_token.');
          return deps.tokens.refreshGrant(body.refresh_token, body.scope);
        default:
          throw new AppError('UNSUPPORTED_GRANT_TYPE', `Unsupported grant_type "${body.grant_type}".`);
      }
    },
  );

  api.post(
    '/v5/oauth/token/revoke',
    {
      config: { idempotency: { off: true } },
      schema: {
        tags: ['oauth'],
        operationId: 'token/revoke',
        consumes: ['application/x-www-form-urlencoded'],
        body: RevokeRequest,
        // Pinterest's revoke answers 200 with no body.
        response: { 200: { description: 'Revoked (no body)', type: 'null' }, 400: ErrorSchema },
      },
    },
    async (request, reply) => {
      await deps.tokens.revoke(request.body.token);
      // An empty 200, as Pinterest answers; the untyped reply allows a send without a body.
      return (reply as FastifyReply).status(200).send();
    },
  );
}
