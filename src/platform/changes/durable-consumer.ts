// A durable reader of a log: it remembers its position in log_consumers, in the same transaction as
// the work it does for a batch, so after a crash it resumes exactly where the last committed batch
// ended. Only one process works a given reader at a time (its row is locked for the batch); others
// skip it. Used by the worker to turn graph changes into fan-out jobs and engagement events into
// counters.
import type { Logger } from 'pino';
import type { Db, Tx } from '../db/database.js';
import type { LogPosition, LogRepository, LogRow, LogTable } from './log.repository.js';

export interface DurableConsumerOptions<Row extends LogRow> {
  name: string;
  table: LogTable;
  /** Does the batch's work; `tx` is the batch's transaction (use it, not the pool: PGlite has one connection). */
  handle(rows: readonly Row[], tx: Tx): Promise<void>;
  /** Where a new reader starts: the log's tail (only new rows) or its start. */
  startAt: 'tail' | 'start';
  batchSize?: number;
  idleMs: number;
  logger?: Pick<Logger, 'error' | 'warn'>;
}

export class DurableConsumer<Row extends LogRow> {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private stopped = true;
  /** Consecutive failed batches: the retry delay grows with them. */
  private failures = 0;
  /** When this process last found the reader with nothing left to read (or held by another process). */
  private caughtUpAt = Date.now();

  constructor(
    private readonly db: Db,
    private readonly logs: LogRepository,
    private readonly options: DurableConsumerOptions<Row>,
  ) {}

  get name(): string {
    return this.options.name;
  }

  /** Seconds since this process last found nothing left to read: 0 while it keeps up. */
  behindSeconds(now = Date.now()): number {
    return this.stopped ? 0 : (now - this.caughtUpAt) / 1000;
  }

  /** Consecutive failed batches so far (0 once a batch succeeds). */
  get consecutiveFailures(): number {
    return this.failures;
  }

  start(): void {
    this.caughtUpAt = Date.now();
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Processes batches until the log is drained (tests and the worker's loop); returns rows handled. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const handled = await this.batch();
      total += handled;
      if (handled < (this.options.batchSize ?? 200)) return total;
    }
  }

  /** One batch in one transaction; 0 when there was nothing (or another process holds the reader). */
  batch(): Promise<number> {
    this.running ??= this.db
      .transaction()
      .execute(async (tx) => {
        const start = async (): Promise<LogPosition> =>
          this.options.startAt === 'tail' ? this.logs.tail(this.options.table, tx) : { xid: '0', id: '0' };
        const position = await this.logs.lockConsumer(tx, this.options.name, start);
        if (!position) return 0;
        const rows = await this.logs.readAfter<Row>(this.options.table, position, this.options.batchSize ?? 200, tx);
        if (rows.length === 0) return 0;
        await this.options.handle(rows, tx);
        const last = rows[rows.length - 1]!;
        await this.logs.saveConsumer(tx, this.options.name, { xid: last.xid, id: last.id });
        return rows.length;
      })
      .then((handled) => {
        if (handled < (this.options.batchSize ?? 200)) this.caughtUpAt = Date.now();
        return handled;
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.batch()
        .then((handled) => {
          this.failures = 0;
          this.schedule(handled > 0 ? 0 : this.options.idleMs);
        })
        .catch((error: unknown) => {
          // Nothing moved: the same batch is tried again, later and later while it keeps failing
          // (Redis down, database restarting).
          this.failures += 1;
          this.options.logger?.warn({ err: error, consumer: this.options.name, failures: this.failures }, 'log consumer batch failed; will retry');
          this.schedule(Math.min(30_000, this.options.idleMs * 2 ** Math.min(this.failures, 6)));
        });
    }, delayMs);
    this.timer.unref();
  }
}
