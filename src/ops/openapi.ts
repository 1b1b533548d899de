// How the served OpenAPI document describes authentication: one OAuth2 scheme named like Pinterest's
// (`pinterest_oauth2`, password and refresh grants at POST /v5/oauth/token), and on each operation the
// v5 scopes its route declares in `config.scopes`, so the document and the auth hook cannot disagree.
import type { SwaggerTransform } from '@fastify/swagger';
import { ALL_SCOPES, type Scope } from '../platform/http/viewer.js';

export const OAUTH_SCHEME = 'pinterest_oauth2';

const SCOPE_MEANINGS: Record<Scope, string> = {
  'boards:read': 'See public boards and those you collaborate on',
  'boards:read_secret': 'See your secret boards',
  'boards:write': 'Create, update, or delete your public and protected boards',
  'boards:write_secret': 'Create, update, or delete your secret boards',
  'pins:read': 'See public Pins',
  'pins:read_secret': 'See your secret Pins',
  'pins:write': 'Create, update, or delete your public Pins',
  'pins:write_secret': 'Create, update, or delete your secret Pins',
  'user_accounts:read': 'See your user account, follows and followers',
  'user_accounts:write': 'Update your user account and follows',
  'experiments:admin': 'Manage experiments and read their results (extension; administrators only, never granted by default)',
};

export function securitySchemes(publicBaseUrl: string) {
  const tokenUrl = `${publicBaseUrl}/v5/oauth/token`;
  return {
    [OAUTH_SCHEME]: {
      type: 'oauth2' as const,
      description: 'Bearer access tokens from POST /v5/oauth/token (grant_type=password or refresh_token).',
      flows: {
        password: {
          tokenUrl,
          refreshUrl: tokenUrl,
          scopes: Object.fromEntries(ALL_SCOPES.map((scope) => [scope, SCOPE_MEANINGS[scope]])),
        },
      },
    },
  };
}

const ERROR_REF = { $ref: 'Error#' };

/**
 * @fastify/swagger `transform`: adds the route's declared scopes as the operation's security
 * requirement, and on every POST the answers the idempotency layer can give (409 while a request
 * with the same Idempotency-Key runs, 422 when the key was used for a different request).
 */
export const documentOperation: SwaggerTransform = ({ schema, url, route }) => {
  if (!schema) return { schema, url };
  let documented = { ...schema };
  const scopes = route.config?.scopes;
  if (scopes && !('security' in documented)) documented = { ...documented, security: [{ [OAUTH_SCHEME]: [...scopes] }] };
  const methods = ([] as string[]).concat(route.method);
  if (methods.includes('POST') && documented.response && typeof documented.response === 'object') {
    documented = { ...documented, response: { 409: ERROR_REF, 422: ERROR_REF, ...documented.response } };
  }
  return { schema: documented, url };
};
