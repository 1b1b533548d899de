// A point in time work must finish by (graceful shutdown: SHUTDOWN_TIMEOUT_MS), and a way to wait for
// work without waiting past it. Work that misses its time keeps running: the caller then moves on and
// forces what it must (closing connections), rather than waiting for ever on a dependency that does
// not answer.

/** Waits for `work` at most `ms`; true when it settled in time (fulfilled or rejected), false otherwise. */
export async function settledWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  if (ms <= 0) return false;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([
      work.then(
        () => true,
        () => true,
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export class Deadline {
  readonly at: number;

  constructor(ms: number, now = Date.now()) {
    this.at = now + ms;
  }

  remaining(): number {
    return Math.max(0, this.at - Date.now());
  }

  /** Waits for `work` until the deadline, less `reserveMs` kept for what comes after. */
  within(work: Promise<unknown>, reserveMs = 0): Promise<boolean> {
    return settledWithin(work, this.remaining() - reserveMs);
  }
}
