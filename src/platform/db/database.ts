// Opens the one database Corkboard runs on: PostgreSQL when DATABASE_URL is set, otherwise an embedded
// PGlite under DATA_DIR. Both are driven through node-postgres and Kysely's PostgresDialect, so there
// is one dialect and one set of migrations for both engines.
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import type { Database } from './schema.js';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.js';
import { openPostgresPool } from './postgres-pool.js';
import { withUnitsOfWork, type UnitsOfWork } from './unit-of-work.js';

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** Either the database or an open transaction: repositories accept both. */
export type Queryable = Kysely<Database> | Transaction<Database>;

export type Engine = 'postgres' | 'pglite';

export interface DatabaseHandle {
  db: Db;
  engine: Engine;
  /** Counts every statement sent, so tests and benchmarks can check how many a request runs. */
  statements: StatementCounter;
  /** Opens a request's unit of work (one transaction every statement of the request joins). */
  units: UnitsOfWork;
  /** Waits for the statements in flight, then closes every connection. */
  close(): Promise<void>;
  /**
   * Drops every connection at once: statements in flight fail (their requests answer 503) and
   * close() can finish. For a shutdown that cannot wait any longer.
   */
  abort(): void;
}

export class StatementCounter {
  total = 0;
  private listeners = new Set<(sql: string) => void>();
  record(sqlText: string): void {
    this.total += 1;
    for (const listener of this.listeners) listener(sqlText);
  }
  /** Calls `listener` for each statement until the returned function is called. */
  watch(listener: (sql: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/**
 * The contrib extensions the migrations create (pg_trgm for search). Every PGlite instance opening a
 * Corkboard data directory must load them, or statements using them fail.
 */
export const PGLITE_EXTENSIONS = { pg_trgm };

export interface OpenDatabaseOptions {
  databaseUrl?: string | undefined;
  /** PGlite data directory; 'memory://' keeps it in memory. */
  dataDir?: string;
  /** An existing PGlite instance (tests restore one from a prepared snapshot). */
  pglite?: PGlite;
  poolSize?: number;
  /**
   * How long a PostgreSQL statement made for a request (boundingStatements) may go unanswered before
   * its connection is dropped (0: no limit).
   */
  queryTimeoutMs?: number;
  /** Where lost connections are reported. */
  logger?: Pick<Logger, 'warn'>;
}

// int8 columns are IDs and stay strings; int4 counters are numbers (node-postgres default).
// numeric and count(*) (int8) would also arrive as strings, so repositories cast counts to int.

export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  const statements = new StatementCounter();
  const log = (event: { query: { sql: string } }) => statements.record(event.query.sql);

  if (options.databaseUrl) {
    const pool = openPostgresPool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      queryTimeoutMs: options.queryTimeoutMs ?? 0,
      logger: options.logger,
    });
    const { dialect, units } = withUnitsOfWork(new PostgresDialect({ pool }));
    const db = new Kysely<Database>({ dialect, log });
    return { db, engine: 'postgres', statements, units, close: () => db.destroy(), abort: () => pool.abort() };
  }

  let lock: DataDirLock | undefined;
  let pglite = options.pglite;
  if (!pglite) {
    const dataDir = options.dataDir ?? 'memory://';
    if (!dataDir.startsWith('memory://')) lock = await acquireDataDirLock(dataDir);
    try {
      pglite = await PGlite.create(dataDir, { extensions: PGLITE_EXTENSIONS });
    } catch (error) {
      await lock?.release();
      throw error;
    }
  }
  const embedded = pglite;
  const pool = new pg.Pool(createPgConfig(embedded));
  const { dialect, units } = withUnitsOfWork(new PostgresDialect({ pool }));
  const db = new Kysely<Database>({ dialect, log });
  return {
    db,
    engine: 'pglite',
    statements,
    units,
    // In process: nothing can leave a statement unanswered the way a network can.
    abort: () => undefined,
    async close() {
      await db.destroy();
      if (!options.pglite) await embedded.close();
      await lock?.release();
    },
  };
}
