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

  constructor(
    private readonly logs: Pick<LogRepository, 'readChangesById' | 'maxChangeId'>,
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
    this.cursor = BigInt(await this.logs.maxChangeId());
    this.loop.start();
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
    const batchSize = this.options.batchSize ?? 1000;
    const rows = await this.logs.readChangesById(String(this.cursor), [...this.gaps.keys()], ROW_CHANGES, batchSize);
    const now = Date.now();
    const changes: LoggedChange[] = [];
    for (const row of rows) {
      const id = BigInt(row.id);
      this.gaps.delete(row.id);
      if (id > this.cursor!) {
        for (let passed = this.cursor! + 1n; passed < id && this.gaps.size < MAX_GAPS; passed += 1n) this.gaps.set(String(passed), now);
        this.cursor = id;
      }
      if (row.kind === ROW_CHANGES && row.payload) changes.push(changeFromRow({ ...row, payload: row.payload }));
    }
    const gapMs = this.options.gapMs ?? 60_000;
    for (const [id, since] of this.gaps) if (now - since > gapMs) this.gaps.delete(id);
    if (changes.length > 0) await this.apply(changes);
    for (const change of changes) this.applied.add(change.logId);
    for (const id of this.applied) {
      if (this.applied.size <= MAX_APPLIED) break;
      this.applied.delete(id);
    }
    return rows.length === batchSize;
  }
}
