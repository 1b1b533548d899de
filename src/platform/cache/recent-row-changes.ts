// Drops cached rows as soon as their change commits, whatever older transaction is still open.
//
// The change stream hands changes over in commit order, so one transaction left open (an operator's
// idle psql session, a long job) holds back everything committed after it. Feeds and the related-pins
// graph need that order; dropping a cached key does not (dropping it twice, or late, is harmless). So
// this reader follows change_log by id: above the highest id it has seen, plus the ids it passed on
// the way (drawn by a transaction that had not committed yet), which it asks for again until they
// appear or GAP_MS passes. A writing request reads once before it answers (own-writes.ts), which
// costs one statement and no other handler's work. Completeness does not rest on it: the ordered
// change stream delivers every rows.changed entry too (handler `cached-rows`), however late.
//
// It also says when the cache is fresh (`fresh()`): every change committed before the call has been
// applied. Requests ask before they use a cached row that decides access (fresh-reads.ts). Where it
// could have lost track of an entry (a passed id given up on, too many passed ids), it empties the
// local cache instead (`onLostTrack`), so nothing it may have missed stays cached.
import type { Logger } from 'pino';
import { changeFromRow, type LoggedChange } from '../changes/change.js';
import type { LogRepository } from '../changes/log.repository.js';
import { PollLoop } from '../changes/poll-loop.js';

export interface RecentRowChangesOptions {
  pollMs: number;
  /** How long a passed id is asked for again (its transaction may still commit). */
  gapMs?: number;
  batchSize?: number;
  logger?: Pick<Logger, 'warn'>;
  /** Called when an entry may have been missed: drop every cached row. */
  onLostTrack?: () => void;
  /**
   * On an engine only this process's handle can write (PGlite), how many statements that may change
   * logged rows have been sent through it: while that has not moved since a read caught up, nothing
   * new can be in the log and `fresh()` sends no statement.
   */
  writesSent?: () => number;
  /**
   * How many changes of access this process has made (statements that may change access, and the
   * commits of the transactions that sent them): while that has moved since the read that last caught
   * up started, `freshWithin` says no, so this process's own changes apply to its next request at once.
   */
  accessChangesMade?: () => number;
}

const ROW_CHANGES = 'rows.changed';
/** How many applied entries are remembered, so the ordered reader does not apply them again. */
const MAX_APPLIED = 100_000;
/** At most this many passed ids are remembered (ids skipped by rolled-back transactions never appear). */
const MAX_GAPS = 10_000;

export class RecentRowChanges {
  private cursor: bigint | undefined;
  /** Passed ids not seen yet, with when they were passed. */
  private readonly gaps = new Map<string, number>();
  /** Log ids of the entries applied here, oldest first. */
  private readonly applied = new Set<string>();
  private readonly loop: PollLoop;
  /** Reads started so far, and the last of them that found nothing more to read. */
  private readsStarted = 0;
  private caughtUpAt = 0;
  /** When (performance.now()) the read that last caught up started; -Infinity before one has. */
  private caughtUpStartedAt = Number.NEGATIVE_INFINITY;
  /** `accessChangesMade()` when the read that last caught up started. */
  private accessChangesAtCatchUp: number | undefined;
  /** `writesSent()` when the read that last caught up started (undefined after a failed read). */
  private writesAtCatchUp: number | undefined;
  /**
   * Transactions that were open when this reader started: their entries may carry ids below its
   * starting point. Until they have ended the cache is not called fresh.
   */
  private openAtStart: string[] = [];

  constructor(
    private readonly logs: Pick<LogRepository, 'readChangesById' | 'maxChangeId' | 'openTransactions'>,
    private readonly apply: (changes: readonly LoggedChange[]) => Promise<void>,
    private readonly options: RecentRowChangesOptions,
  ) {
    this.loop = new PollLoop(() => this.readOnce(), {
      pollMs: options.pollMs,
      // The next read asks again from the same place; the ordered change stream is the backstop.
      onError: (error) => options.logger?.warn({ err: error }, 'reading recent row changes failed'),
    });
  }

  async start(): Promise<void> {
    const cursor = BigInt(await this.logs.maxChangeId());
    this.openAtStart = await this.logs.openTransactions();
    this.cursor = cursor;
    this.loop.start();
  }

  /**
   * Resolves true once every row change committed before the call has been applied here (by a read
   * that started after the call), false when that could not be done (the read failed, the reader is
   * stopped or not started): the caller must then read the database.
   */
  async fresh(): Promise<boolean> {
    if (this.cursor === undefined || this.loop.isStopped) return false;
    const writes = this.options.writesSent?.();
    if (writes !== undefined && writes === this.writesAtCatchUp) return true;
    const before = this.readsStarted;
    await this.loop.readNow();
    return this.caughtUpAt > before;
  }

  /**
   * True when every row change committed more than `windowMs` before now has been applied here: the
   * read that last caught up started less than `windowMs` ago. No statement is sent; past half the
   * window a read starts in the background, so under steady traffic requests never wait for one.
   * A writer that restricts access answers only `windowMs` after its commit (own-writes.ts), so a
   * request that arrives after that answer and finds this true cannot be served the old permission.
   */
  freshWithin(windowMs: number): boolean {
    if (this.cursor === undefined || this.loop.isStopped) return false;
    // On PGlite only this process writes: the count of its writes says it all.
    const writes = this.options.writesSent?.();
    if (writes !== undefined) return writes === this.writesAtCatchUp;
    if (this.options.accessChangesMade && this.options.accessChangesMade() !== this.accessChangesAtCatchUp) return false;
    const age = performance.now() - this.caughtUpStartedAt;
    if (age >= windowMs) return false;
    if (age >= windowMs / 2) this.loop.refresh();
    return true;
  }

  /**
   * Reads now; resolves once every row change committed before the call has been applied. Never
   * rejects: a failed read is logged and the next poll reads the same entries again.
   */
  async poke(): Promise<void> {
    if (this.cursor === undefined) return;
    await this.loop.readNow();
  }

  /**
   * The changes among `changes` this reader has not applied (for the ordered reader, which sees every
   * entry, later); each applied one is forgotten once asked about.
   */
  notYetApplied(changes: readonly LoggedChange[]): LoggedChange[] {
    return changes.filter((change) => change.kind === ROW_CHANGES && !this.applied.delete(change.logId));
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }

  private async readOnce(): Promise<boolean> {
    const read = ++this.readsStarted;
    // Taken before any statement is sent: the read sees every commit acknowledged before this moment.
    const startedAt = performance.now();
    const accessChanges = this.options.accessChangesMade?.();
    const writes = this.options.writesSent?.();
    this.writesAtCatchUp = undefined;
    const batchSize = this.options.batchSize ?? 1000;
    if (this.openAtStart.length > 0) this.openAtStart = await this.logs.openTransactions(this.openAtStart);
    const rows = await this.logs.readChangesById(String(this.cursor), [...this.gaps.keys()], ROW_CHANGES, batchSize);
    const now = Date.now();
    const changes: LoggedChange[] = [];
    let lostTrack = false;
    for (const row of rows) {
      const id = BigInt(row.id);
      this.gaps.delete(row.id);
      if (id > this.cursor!) {
        for (let passed = this.cursor! + 1n; passed < id; passed += 1n) {
          if (this.gaps.size >= MAX_GAPS) {
            lostTrack = true;
            break;
          }
          this.gaps.set(String(passed), now);
        }
        this.cursor = id;
      }
      if (row.kind === ROW_CHANGES && row.payload) changes.push(changeFromRow({ ...row, payload: row.payload }));
    }
    const gapMs = this.options.gapMs ?? 60_000;
    for (const [id, since] of this.gaps) {
      if (now - since <= gapMs) continue;
      // Most likely a rolled-back transaction; if it commits after all, its entry is not read here.
      this.gaps.delete(id);
      lostTrack = true;
    }
    if (lostTrack) this.options.onLostTrack?.();
    if (changes.length > 0) await this.apply(changes);
    for (const change of changes) this.applied.add(change.logId);
    for (const id of this.applied) {
      if (this.applied.size <= MAX_APPLIED) break;
      this.applied.delete(id);
    }
    const full = rows.length === batchSize;
    if (!full && this.openAtStart.length === 0) {
      this.caughtUpAt = read;
      this.caughtUpStartedAt = startedAt;
      this.accessChangesAtCatchUp = accessChanges;
      this.writesAtCatchUp = writes;
    }
    return full;
  }
}
