// A request's unit of work: one transaction on one connection that every statement the request makes
// joins, through whichever repository makes it, so that what the request wrote and what the request
// records about itself (its Idempotency-Key answer) commit together or not at all.
//
// It lives below Kysely, in the driver: while a unit is open in the current request's async context,
// every connection Kysely asks for is that unit's connection, a `db.transaction()` inside it becomes a
// savepoint, and each write statement runs under a savepoint of its own, so code that catches a
// statement's error and carries on (a unique violation answered as a conflict) leaves the unit usable,
// as it would have been without one. Nothing above the repositories has to know. A statement made
// after the unit ended (work the request left running) gets a connection of its own, as before.
//
// Work that must only happen once the writes are visible to others (dropping cached copies, reloading
// a shared snapshot) goes through `afterCommit`, which runs it at once outside a unit.
import { AsyncLocalStorage } from 'node:async_hooks';
import {
  CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';

interface Scope {
  work: UnitOfWork | null;
}

const scopes = new AsyncLocalStorage<Scope>();

/** Runs `work` (a request) in a scope where a unit of work may be opened (the HTTP layer does this). */
export function unitOfWorkScope<T>(work: () => T): T {
  return scopes.run({ work: null }, work);
}

/** The open unit of work of the current request, if any. */
export function currentUnitOfWork(): UnitOfWork | null {
  const work = scopes.getStore()?.work ?? null;
  return work?.open ? work : null;
}

/**
 * Runs `effect` once the current request's writes are visible to every other connection: after its
 * unit of work commits (never, if it rolls back), or at once when no unit is open.
 */
export async function afterCommit(effect: () => Promise<void> | void): Promise<void> {
  const work = currentUnitOfWork();
  if (work) work.onCommit(effect);
  else await effect();
}

/** Statements that write nothing: they need no savepoint of their own. */
const READ = /^\s*select\b/i;

/**
 * The connection's own executeQuery: Kysely wraps the method of every connection it is handed, to log
 * statements, and a request's statements are logged once already, on the loan (LentConnection).
 */
function unlogged(connection: DatabaseConnection): DatabaseConnection['executeQuery'] {
  const prototype = Object.getPrototypeOf(connection) as Partial<DatabaseConnection>;
  const own = Object.prototype.hasOwnProperty.call(connection, 'executeQuery') && typeof prototype.executeQuery === 'function' ? prototype : connection;
  return <R>(query: CompiledQuery) => own.executeQuery!.call(connection, query) as Promise<QueryResult<R>>;
}

/** Runs one piece of work at a time, in call order. */
class Mutex {
  private tail: Promise<void> = Promise.resolve();
  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}

export class UnitOfWork {
  open = true;
  private readonly effects: Array<() => Promise<void> | void> = [];
  private readonly writes = new Mutex();
  private names = 0;

  private readonly send: DatabaseConnection['executeQuery'];

  constructor(
    private readonly driver: Driver,
    private readonly connection: DatabaseConnection,
    private readonly scope: Scope,
  ) {
    this.send = unlogged(connection);
  }

  onCommit(effect: () => Promise<void> | void): void {
    this.effects.push(effect);
  }

  /** A savepoint the caller can roll back to (the request's answer is a refusal: undo its writes). */
  async savepoint(): Promise<string> {
    const name = this.nextName();
    await this.writes.run(() => this.raw(`savepoint ${name}`));
    return name;
  }

  async rollbackTo(name: string): Promise<void> {
    await this.writes.run(() => this.raw(`rollback to savepoint ${name}`));
  }

  /**
   * Commits, gives the connection back, then runs the after-commit effects. Throws only if the commit
   * failed: a write that committed must not answer as failed, and effects report their own failures.
   */
  async commit(): Promise<void> {
    const effects = await this.end('commit');
    for (const effect of effects) {
      try {
        await effect();
      } catch {
        // Reported by the effect itself (a cache invalidation or a change-log read logs and retries).
      }
    }
  }

  /** Rolls back and gives the connection back; never throws (a broken connection rolled back already). */
  async rollback(): Promise<void> {
    await this.end('rollback').catch(() => undefined);
  }

  private async end(how: 'commit' | 'rollback'): Promise<Array<() => Promise<void> | void>> {
    if (!this.open) throw new Error('unit of work already ended');
    this.open = false;
    if (this.scope.work === this) this.scope.work = null;
    try {
      // Behind any write still queued, so it lands inside the transaction or not at all.
      await this.writes.run(() => (how === 'commit' ? this.driver.commitTransaction(this.connection) : this.driver.rollbackTransaction(this.connection)));
    } finally {
      await this.driver.releaseConnection(this.connection);
    }
    return how === 'commit' ? this.effects.splice(0) : [];
  }

  nextName(): string {
    this.names += 1;
    return `cb_unit_${this.names}`;
  }

  raw(sqlText: string): Promise<QueryResult<unknown>> {
    return this.send(CompiledQuery.raw(sqlText));
  }

  /** Runs a statement of the request in the unit (a write under its own savepoint), or alone once the unit ended. */
  async execute<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (!this.open) return this.alone(query);
    if (READ.test(query.sql)) return this.send<R>(query);
    return this.writes.run(async () => {
      if (!this.open) return this.alone<R>(query);
      const name = this.nextName();
      await this.raw(`savepoint ${name}`);
      try {
        const result = await this.send<R>(query);
        await this.raw(`release savepoint ${name}`);
        return result;
      } catch (error) {
        await this.raw(`rollback to savepoint ${name}`).catch(() => undefined);
        throw error;
      }
    });
  }

  /** A nested `db.transaction()`: a savepoint, kept until the unit ends when it succeeds. */
  async begin(): Promise<string> {
    return this.savepoint();
  }

  private async alone<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const connection = await this.driver.acquireConnection();
    try {
      return await unlogged(connection)<R>(query);
    } finally {
      await this.driver.releaseConnection(connection);
    }
  }
}

/** What Kysely holds while it runs statements in a unit: the unit's connection, lent. */
class LentConnection implements DatabaseConnection {
  /** The savepoint standing for the `db.transaction()` running on this loan, if any. */
  savepoint: string | null = null;

  constructor(readonly work: UnitOfWork) {}

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return this.work.execute<R>(query);
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not available inside a unit of work');
  }
}

class UnitOfWorkDriver implements Driver {
  constructor(private readonly inner: Driver) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }

  async begin(): Promise<UnitOfWork> {
    const scope = scopes.getStore();
    if (!scope) throw new Error('a unit of work needs a request scope (unitOfWorkScope)');
    if (scope.work?.open) throw new Error('a unit of work is already open in this request');
    const connection = await this.inner.acquireConnection();
    try {
      await this.inner.beginTransaction(connection, {});
    } catch (error) {
      await this.inner.releaseConnection(connection);
      throw error;
    }
    const work = new UnitOfWork(this.inner, connection, scope);
    scope.work = work;
    return work;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const work = currentUnitOfWork();
    return work ? new LentConnection(work) : this.inner.acquireConnection();
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    if (!(connection instanceof LentConnection)) await this.inner.releaseConnection(connection);
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    // Inside a unit the isolation level is the unit's (read committed): a savepoint cannot change it.
    if (connection instanceof LentConnection) connection.savepoint = await connection.work.begin();
    else await this.inner.beginTransaction(connection, settings);
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    // The savepoint stays until the unit ends: releasing it could release a sibling's made after it.
    if (connection instanceof LentConnection) connection.savepoint = null;
    else await this.inner.commitTransaction(connection);
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (connection instanceof LentConnection) {
      const name = connection.savepoint;
      connection.savepoint = null;
      if (name && connection.work.open) await connection.work.rollbackTo(name);
    } else await this.inner.rollbackTransaction(connection);
  }

  async savepoint(connection: DatabaseConnection, name: string, compileQuery: QueryCompiler['compileQuery']): Promise<void> {
    await this.inner.savepoint?.(connection, name, compileQuery);
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string, compileQuery: QueryCompiler['compileQuery']): Promise<void> {
    await this.inner.rollbackToSavepoint?.(connection, name, compileQuery);
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string, compileQuery: QueryCompiler['compileQuery']): Promise<void> {
    await this.inner.releaseSavepoint?.(connection, name, compileQuery);
  }
}

/** Opens units of work on one database. */
export interface UnitsOfWork {
  /** Opens a unit in the current request scope: from now on the request's statements run in it. */
  begin(): Promise<UnitOfWork>;
}

/** Wraps a dialect so that its database can run units of work; `units` opens them once Kysely has initialised the driver. */
export function withUnitsOfWork(dialect: Dialect): { dialect: Dialect; units: UnitsOfWork } {
  let driver: UnitOfWorkDriver | undefined;
  const wrapped: Dialect = {
    createDriver: () => (driver = new UnitOfWorkDriver(dialect.createDriver())),
    createQueryCompiler: (): QueryCompiler => dialect.createQueryCompiler(),
    createAdapter: (): DialectAdapter => dialect.createAdapter(),
    createIntrospector: (db: Kysely<unknown>): DatabaseIntrospector => dialect.createIntrospector(db),
  };
  return {
    dialect: wrapped,
    units: {
      begin() {
        if (!driver) throw new Error('the database is not open');
        return driver.begin();
      },
    },
  };
}
