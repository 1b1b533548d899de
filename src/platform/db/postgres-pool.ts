// The PostgreSQL connection pool, made to live through faults:
// - no connection failure can end the process: node-postgres emits 'error' on a client whose
//   connection breaks, and the pool listens only while the client is idle, so a connection dropped
//   under a checked-out client (a terminated backend, a restart, a network cut mid-transaction) would
//   be an unhandled 'error' event. Every client gets a listener of its own when it connects; the
//   statement running on it fails (the request answers 503) and the pool discards the client;
// - opening a connection is bounded (CONNECT_TIMEOUT_MS, also the wait for a free one) and tried
//   again for CONNECT_RETRY_MS when it fails (a restart in progress): nothing was sent yet, so that is
//   safe for reads and writes alike. A statement that fails on a broken connection is not tried
//   again: it may have run. The client retries, with its Idempotency-Key for writes;
// - a statement made for a request (boundingStatements: the HTTP layer runs every request in it) and
//   unanswered for queryTimeoutMs (a network partition: TCP itself says nothing for many minutes)
//   drops its connection, so its request answers 503 instead of hanging. Background work (migrations
//   at start, log readers, jobs, maintenance deletes) is not bounded: nobody waits on it, and it may
//   legitimately take long; a shutdown cuts it with abort();
// - abort() drops every connection at once, for a shutdown that cannot wait any longer.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Socket } from 'node:net';
import type { PostgresPool } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import { isConnectFailure } from './pg-errors.js';

export const CONNECT_TIMEOUT_MS = 5000;
export const CONNECT_RETRY_MS = 2000;
const CONNECT_RETRY_FIRST_DELAY_MS = 50;

export interface PostgresPoolOptions {
  connectionString: string;
  max: number;
  /** How long a request's statement may go unanswered (0: for ever). */
  queryTimeoutMs: number;
  logger?: Pick<Logger, 'warn'> | undefined;
}

export interface ResilientPool extends PostgresPool {
  abort(): void;
}

/** Set while a request runs: its statements are bounded by the pool's queryTimeoutMs. */
const requestScope = new AsyncLocalStorage<true>();

/** Runs `work` (a request) with every PostgreSQL statement it makes bounded by DATABASE_QUERY_TIMEOUT_MS. */
export function boundingStatements<T>(work: () => T): T {
  return requestScope.run(true, work);
}

/** node-postgres's own message when query_timeout passes. */
const READ_TIMEOUT = 'Query read timeout';

function socketOf(client: pg.Client): Socket | undefined {
  return (client.connection as unknown as { stream?: Socket }).stream;
}

/**
 * A client whose statement went unanswered for query_timeout drops its connection: node-postgres
 * fails the statement but keeps waiting for the answer on that connection, so everything queued
 * behind it (the transaction's ROLLBACK) would wait as long again. Every client is listed in
 * `clients` from the moment it exists (connecting included), for abort().
 */
function clientClass(clients: Set<pg.Client>, queryTimeoutMs: number) {
  return class DeadlineClient extends pg.Client {
    constructor(config?: string | pg.ClientConfig) {
      super(config);
      clients.add(this);
      this.once('end', () => clients.delete(this));
    }

    // The overloads of query() are many; this passes every call through, adding query_timeout to a
    // statement given as text (Kysely's form) when a request makes it.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    override query(...args: any[]): any {
      if (queryTimeoutMs > 0 && requestScope.getStore() && typeof args[0] === 'string') {
        const [text, second, third] = args as [string, unknown, unknown];
        const callback: unknown = typeof second === 'function' ? second : third;
        args = [{ text, values: Array.isArray(second) ? second : undefined, query_timeout: queryTimeoutMs }, ...(callback ? [callback] : [])];
      }
      const result = (pg.Client.prototype.query as (...a: unknown[]) => unknown).apply(this, args);
      if (result instanceof Promise) {
        result.catch((error: unknown) => {
          // end() marks the client as ending at once (so the pool discards it when it is released,
          // never handing it out again) and, with the statement still running, destroys its socket.
          if ((error as Error | undefined)?.message === READ_TIMEOUT) this.end().catch(() => undefined);
        });
      }
      return result;
    }
  };
}

export function openPostgresPool(options: PostgresPoolOptions): ResilientPool {
  const clients = new Set<pg.Client>();
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    keepAlive: true,
    Client: clientClass(clients, options.queryTimeoutMs),
  });
  let aborted = false;
  const lost = (error: Error) => {
    if (!aborted) options.logger?.warn({ err: error }, 'database connection lost');
  };
  pool.on('connect', (client) => client.on('error', lost));
  // An idle client losing its connection: the pool drops it and the next query opens a new one.
  pool.on('error', () => undefined);

  return {
    async connect() {
      const deadline = Date.now() + CONNECT_RETRY_MS;
      for (let delay = CONNECT_RETRY_FIRST_DELAY_MS; ; delay *= 2) {
        if (aborted) throw new Error('Connection terminated: the database connections were closed (shutdown)');
        try {
          return await pool.connect();
        } catch (error) {
          const wait = Math.min(delay, deadline - Date.now());
          if (!isConnectFailure(error) || wait <= 0) throw error;
          await new Promise((resolve) => setTimeout(resolve, wait));
        }
      }
    },
    end: () => pool.end(),
    abort() {
      aborted = true;
      for (const client of clients) socketOf(client)?.destroy();
    },
  };
}
