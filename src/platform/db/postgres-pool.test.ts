// The PostgreSQL pool's time bound on statements, against real PostgreSQL (DATABASE_URL): a statement
// a request makes fails once DATABASE_QUERY_TIMEOUT_MS passes without an answer, and its connection is
// dropped rather than reused; background work (outside a request) is not bounded. The pool's behaviour
// under dropped connections and restarts is in test/faults.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { openDatabase, type DatabaseHandle } from './database.js';
import { isDatabaseUnavailable } from './pg-errors.js';
import { boundingStatements } from './postgres-pool.js';

describe.runIf(process.env.DATABASE_URL)('statements bounded by DATABASE_QUERY_TIMEOUT_MS', () => {
  let database: TestDatabase;
  let bounded: DatabaseHandle;
  beforeAll(async () => {
    database = await createTestDatabase();
    bounded = await openDatabase({ databaseUrl: database.url, queryTimeoutMs: 300, poolSize: 1 });
  });
  afterAll(async () => {
    await bounded?.close();
    await database?.drop();
  });

  const backendPid = async () => (await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(bounded.db)).rows[0]!.pid;

  it('fails a request statement left unanswered past the bound, and drops its connection', async () => {
    const before = await backendPid();
    const started = Date.now();
    const error = await boundingStatements(() => sql`SELECT pg_sleep(3)`.execute(bounded.db)).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(Date.now() - started).toBeLessThan(2500);
    expect(isDatabaseUnavailable(error)).toBe(true);
    // The next statement runs on a new connection (pool of one), at once.
    expect(await backendPid()).not.toBe(before);
  });

  it('lets background work (outside any request) take as long as it takes', async () => {
    const result = await sql<{ done: number }>`SELECT 1 AS done FROM pg_sleep(0.8)`.execute(bounded.db);
    expect(result.rows).toEqual([{ done: 1 }]);
  });
});
