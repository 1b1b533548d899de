// Which failures count as "the database is unavailable" (503, retried by the client) rather than a bug
// (500), checked against errors node-postgres really raises: a refused connection, and (on PostgreSQL)
// a backend terminated under a running statement; a constraint violation is neither.
import net from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { isConnectFailure, isDatabaseUnavailable, isUniqueViolation } from './pg-errors.js';
import { sql } from 'kysely';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('database errors', () => {
  it('a refused connection is unavailable, and a failure to connect', async () => {
    const client = new pg.Client({ host: '127.0.0.1', port: await closedPort(), user: 'postgres', connectionTimeoutMillis: 2000 });
    const error = await client.connect().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeDefined();
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(isConnectFailure(error)).toBe(true);
  });

  it('a constraint violation is neither', async () => {
    const error = await database.handle.db
      .transaction()
      .execute(async (tx) => {
        await sql`CREATE TEMP TABLE uniq (id int PRIMARY KEY) ON COMMIT DROP`.execute(tx);
        await sql`INSERT INTO uniq VALUES (1)`.execute(tx);
        await sql`INSERT INTO uniq VALUES (1)`.execute(tx);
      })
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    expect(isUniqueViolation(error)).toBe(true);
    expect(isDatabaseUnavailable(error)).toBe(false);
    expect(isDatabaseUnavailable(new Error('something else broke'))).toBe(false);
  });

  it.runIf(process.env.DATABASE_URL)('a backend terminated under a running statement is unavailable', async () => {
    const victim = new pg.Client({ connectionString: database.url });
    victim.on('error', () => undefined);
    await victim.connect();
    const pid = (await victim.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    const running = victim.query('SELECT pg_sleep(10)').then(
      () => undefined,
      (caught: unknown) => caught,
    );
    const killer = new pg.Client({ connectionString: database.url });
    await killer.connect();
    await killer.query('SELECT pg_terminate_backend($1)', [pid]);
    await killer.end();
    const error = await running;
    expect(isDatabaseUnavailable(error)).toBe(true);
    await victim.end().catch(() => undefined);
  });
});
