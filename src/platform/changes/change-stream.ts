// Every process follows the change log from where it started, so in-memory state (the related-pins
// graph, cached objects) learns of changes made by any process: within one poll interval, in commit
// order, at least once. Handlers must be idempotent. `poke()` reads at once, so the process that made
// a change sees it without waiting for the next tick.
import type { Logger } from 'pino';
import { changeFromRow, type LoggedChange } from './change.js';
import { type LogPosition, type LogRepository } from './log.repository.js';
import { PollLoop } from './poll-loop.js';

export type ChangeHandler = (changes: readonly LoggedChange[]) => Promise<void>;

export interface ChangeStreamOptions {
  pollMs: number;
  batchSize?: number;
  logger?: Pick<Logger, 'error'>;
}

export class ChangeStream {
  private readonly handlers = new Map<string, ChangeHandler>();
  private position: LogPosition | undefined;
  private readonly loop: PollLoop;

  constructor(
    private readonly logs: LogRepository,
    private readonly options: ChangeStreamOptions,
  ) {
    this.loop = new PollLoop(() => this.readOnce(), {
      pollMs: options.pollMs,
      onError: (error) => options.logger?.error({ err: error }, 'change stream read failed'),
    });
  }

  /** Adds a handler for changes committed after start(); returns the function that removes it. */
  subscribe(name: string, handler: ChangeHandler): () => void {
    this.handlers.set(name, handler);
    return () => this.handlers.delete(name);
  }

  async start(): Promise<void> {
    this.position = await this.logs.tail('change_log');
    this.loop.start();
  }

  /**
   * Reads now (after a write in this process); resolves when the handlers have seen every change
   * committed before the call, or after `maxWaitMs` when an older transaction that is still open holds
   * them back.
   */
  async poke(maxWaitMs = 1000): Promise<void> {
    const deadline = Date.now() + maxWaitMs;
    for (;;) {
      if (!this.position || this.loop.isStopped) return;
      await this.loop.readNow();
      if (Date.now() >= deadline || !(await this.logs.hasHeldBack('change_log', this.position))) return;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }

  /** Reads one batch and hands it to every handler; true when the batch was full. */
  private async readOnce(): Promise<boolean> {
    const batchSize = this.options.batchSize ?? 500;
    const rows = await this.logs.readAfter<{ id: string; xid: string; kind: string; payload: Record<string, unknown>; created_at: Date }>(
      'change_log',
      this.position!,
      batchSize,
    );
    if (rows.length === 0) return false;
    const changes = rows.map(changeFromRow);
    for (const [name, handler] of this.handlers) {
      try {
        await handler(changes);
      } catch (error) {
        this.options.logger?.error({ err: error, handler: name }, 'change handler failed');
      }
    }
    const last = rows[rows.length - 1]!;
    this.position = { xid: last.xid, id: last.id };
    return rows.length === batchSize;
  }
}
