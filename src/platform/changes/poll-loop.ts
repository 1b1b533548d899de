// The loop behind the in-process log readers (ChangeStream, RecentRowChanges): read every `pollMs`,
// read full batches back to back, and read at once when asked (`readNow`), so a process sees its own
// write without waiting for the next tick. A request to read while a read runs asks for one more after
// it, since the running one may have started before the caller's commit.
//
// Reads run in the async context the loop was made in, not in the context of the request that asked:
// a read is shared by every request waiting for it, so it must not join one request's unit of work
// (its transaction) or its statement deadline.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface PollLoopOptions {
  pollMs: number;
  /** A failed read: the position did not move, so the next tick reads the same rows again. */
  onError: (error: unknown) => void;
}

export class PollLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;
  private readonly outsideRequests = AsyncLocalStorage.snapshot();

  /** `readOnce` reads one batch and answers whether it was full (then the next one is read at once). */
  constructor(
    private readonly readOnce: () => Promise<boolean>,
    private readonly options: PollLoopOptions,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Resolves once a read that started after this call has finished. */
  async readNow(): Promise<void> {
    if (this.stopped) return;
    if (this.running !== undefined) {
      this.again = true;
      await this.running;
      return;
    }
    await this.drain();
  }

  /** Starts a read unless one is running; nobody waits for it (a refresh ahead of need). */
  refresh(): void {
    if (!this.stopped && this.running === undefined) void this.drain();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.drain().finally(() => this.schedule()), this.options.pollMs);
    this.timer.unref();
  }

  private drain(): Promise<void> {
    this.running ??= this.outsideRequests(async () => {
      try {
        do {
          this.again = false;
          while (!this.stopped && (await this.readOnce())) {
            /* keep reading full batches */
          }
        } while (this.again && !this.stopped);
      } catch (error) {
        this.options.onError(error);
      } finally {
        this.running = undefined;
      }
    });
    return this.running;
  }
}
