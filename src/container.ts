// Composition root: configuration -> database -> repositories -> services. Plain constructors, wired
// once here; nothing else reaches for globals.
import type { Config } from './config.js';
import { openDatabase, type DatabaseHandle } from './platform/db/database.js';
import { migrateToLatest } from './platform/db/migrate.js';
import { IdGenerator } from './platform/ids.js';
import { HttpMetrics } from './platform/http/metrics.js';
import { IdempotencyRepository } from './platform/http/idempotency.repository.js';
import { PasswordHasher } from './auth/password-hasher.js';
import { AccountRepository } from './accounts/account.repository.js';
import { AccountService } from './accounts/account.service.js';
import { TokenRepository } from './auth/token.repository.js';
import { TokenService } from './auth/token.service.js';

export interface ContainerOptions {
  /** An already open database (tests pass one restored from a prepared snapshot). */
  database?: DatabaseHandle;
  /** log2 of scrypt's N; tests lower it to keep sign-ups fast. */
  passwordLogCost?: number;
}

export async function createContainer(config: Config, options: ContainerOptions = {}) {
  const database =
    options.database ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }));
  await migrateToLatest(database.db);
  const { db } = database;
  const ids = new IdGenerator();
  const metrics = new HttpMetrics();
  const hasher = new PasswordHasher(options.passwordLogCost);

  const repositories = {
    accounts: new AccountRepository(db),
    tokens: new TokenRepository(db),
    idempotency: new IdempotencyRepository(db),
  };

  const accounts = new AccountService({
    accounts: repositories.accounts,
    hasher,
    ids,
    adminUsernames: config.adminUsernames,
  });
  const tokens = new TokenService({
    tokens: repositories.tokens,
    accounts,
    ids,
    accessTokenTtlSeconds: config.auth.accessTokenTtlSeconds,
    refreshTokenTtlSeconds: config.auth.refreshTokenTtlSeconds,
  });

  const services = { accounts, tokens };

  return {
    config,
    database,
    db,
    ids,
    metrics,
    repositories,
    services,
    async close() {
      await database.close();
    },
  };
}

export type Container = Awaited<ReturnType<typeof createContainer>>;
