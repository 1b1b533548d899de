// Sign-up, the viewer's own account, and another user's public profile.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { viewerOf } from '../platform/http/auth-hook.js';
import { commonErrors } from '../platform/http/schemas.js';
import type { AccountService } from './account.service.js';
import { presentAccount } from './account.presenter.js';
import { AccountSchema, SignUpBody, UsernameParams } from './account.schemas.js';

export async function accountRoutes(app: FastifyInstance, deps: { accounts: AccountService }): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  api.post(
    '/v5/accounts',
    {
      // A retried sign-up is recognised without the password in the stored fingerprint.
      config: { idempotency: { secretFields: ['password'] }, rateCategory: 'authentication' },
      schema: {
        tags: ['accounts'],
        summary: 'Sign up (extension)',
        operationId: 'accounts/create',
        body: SignUpBody,
        response: { 201: AccountSchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      const user = await deps.accounts.signUp(request.body);
      return reply.status(201).send(presentAccount(user, user.id));
    },
  );

  api.get(
    '/v5/user_account',
    {
      config: { scopes: ['user_accounts:read'] },
      schema: { tags: ['user_account'], operationId: 'user_account/get', response: { 200: AccountSchema, ...commonErrors } },
    },
    async (request) => {
      const viewer = viewerOf(request);
      return presentAccount(await deps.accounts.getById(viewer.userId), viewer.userId);
    },
  );

  api.get(
    '/v5/users/:username',
    {
      config: { scopes: ['user_accounts:read'] },
      schema: {
        tags: ['users'],
        summary: "Another user's public profile (extension)",
        operationId: 'users/get',
        params: UsernameParams,
        response: { 200: AccountSchema, ...commonErrors },
      },
    },
    async (request) => {
      const viewer = viewerOf(request);
      return presentAccount(await deps.accounts.getByUsername(request.params.username), viewer.userId);
    },
  );
}
