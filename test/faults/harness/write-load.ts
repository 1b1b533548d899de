// A keyed write loop and its ledger: pins created through POST /v5/pins, each with its own title and
// Idempotency-Key, several at a time, while a test breaks things. Every request's outcome is recorded
// (acknowledged with its id, refused with its status and Retry-After, or lost to the network), and
// `checkLedger` compares that with the rows in the database: every acknowledged pin present exactly
// once, no title twice, and the owner's and board's counters equal to the rows they count.
import type pg from 'pg';
import type { ApiClient, ApiUser, Reply } from './api-client.js';

export interface WriteOutcome {
  n: number;
  title: string;
  key: string;
  status: number;
  pinId?: string;
  retryAfter: string | null;
  /** The answer was a replay of an earlier attempt's (Idempotent-Replayed: true). */
  replayed?: boolean;
  error?: string;
  startedAt: number;
  endedAt: number;
}

export interface WriteLoopOptions {
  api: ApiClient;
  user: ApiUser;
  boardId: string;
  /** Distinguishes this loop's titles and keys from another's. */
  run: string;
  count: number;
  concurrency: number;
  /** Small base64 PNGs, used in turn (see smallPngs). */
  images: readonly string[];
  /** Stops starting new writes once this returns true. */
  stop?: () => boolean;
  /** Called after each write (a test injects its fault after the n-th). */
  onWrite?: (outcome: WriteOutcome) => void;
}

export function pngSource(base64: string) {
  return { source_type: 'image_base64', content_type: 'image/png', data: base64 };
}

export type KeyedWrite = Pick<WriteLoopOptions, 'api' | 'user' | 'boardId' | 'run' | 'images'>;

/** Sends the n-th write of a loop: the same key and the very same body however often it is sent. */
export async function sendKeyedWrite(write: KeyedWrite, n: number): Promise<WriteOutcome> {
  const title = `${write.run}-${n}`;
  const key = `${write.run}-key-${n}`;
  const startedAt = Date.now();
  const reply: Reply = await write.api.request('POST', '/v5/pins', {
    token: write.user.token,
    headers: { 'idempotency-key': key },
    body: { board_id: write.boardId, title, media_source: pngSource(write.images[n % write.images.length]!) },
  });
  return {
    n,
    title,
    key,
    status: reply.status,
    retryAfter: reply.retryAfter,
    startedAt,
    endedAt: Date.now(),
    ...(reply.replayed ? { replayed: true } : {}),
    ...(reply.status === 201 ? { pinId: (reply.body as { id: string }).id } : {}),
    ...(reply.error ? { error: reply.error } : {}),
  };
}

export async function keyedWriteLoop(options: WriteLoopOptions): Promise<WriteOutcome[]> {
  const outcomes: WriteOutcome[] = [];
  let next = 0;
  const worker = async () => {
    while (next < options.count && !options.stop?.()) {
      const outcome = await sendKeyedWrite(options, next++);
      outcomes.push(outcome);
      options.onWrite?.(outcome);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return outcomes.sort((a, b) => a.n - b.n);
}

/**
 * Sends every write that was not acknowledged again, with its key, one at a time, as a client does
 * after a failure; answers the retries' outcomes (a retry whose first attempt had committed is a
 * replay: `replayed`).
 */
export async function retryUnacknowledged(write: KeyedWrite, outcomes: readonly WriteOutcome[]): Promise<WriteOutcome[]> {
  const retries: WriteOutcome[] = [];
  for (const outcome of outcomes) {
    if (outcome.status !== 201) retries.push(await sendKeyedWrite(write, outcome.n));
  }
  return retries;
}

export interface LedgerCheck {
  attempted: number;
  acknowledged: number;
  /** Answers other than 201, by status (0: the network failed), e.g. {"503": 4}. */
  refused: Record<string, number>;
  /** Refusals that were 503 without a Retry-After header. */
  unavailableWithoutRetryAfter: number;
  /** Acknowledged pins not in the database. */
  lostAcknowledged: string[];
  /** Titles present more than once. */
  duplicates: string[];
  /** Writes not acknowledged whose pin is in the database nonetheless (committed, answer lost). */
  presentUnacknowledged: number;
  /** The owner's and the board's counters against the rows they count. */
  counters: { ownerPinCount: number; boardPinCount: number; pinRows: number };
}

/** Compares the outcomes with the rows, reading the database directly (not through Corkboard). */
export async function checkLedger(client: pg.Client, user: ApiUser, boardId: string, outcomes: readonly WriteOutcome[]): Promise<LedgerCheck> {
  const rows = await client.query<{ id: string; title: string }>('SELECT id::text AS id, title FROM pins WHERE owner_id = $1', [user.id]);
  const byTitle = new Map<string, string[]>();
  for (const row of rows.rows) byTitle.set(row.title, [...(byTitle.get(row.title) ?? []), row.id]);
  const ids = new Set(rows.rows.map((row) => row.id));
  const refused: Record<string, number> = {};
  let unavailableWithoutRetryAfter = 0;
  let presentUnacknowledged = 0;
  const lostAcknowledged: string[] = [];
  for (const outcome of outcomes) {
    if (outcome.status === 201) {
      if (!ids.has(outcome.pinId!)) lostAcknowledged.push(outcome.title);
      continue;
    }
    refused[String(outcome.status)] = (refused[String(outcome.status)] ?? 0) + 1;
    if (outcome.status === 503 && !outcome.retryAfter) unavailableWithoutRetryAfter += 1;
    if (byTitle.has(outcome.title)) presentUnacknowledged += 1;
  }
  const owner = await client.query<{ pin_count: number }>('SELECT pin_count FROM users WHERE id = $1', [user.id]);
  const board = await client.query<{ pin_count: number; rows: number }>(
    'SELECT b.pin_count, (SELECT count(*)::int FROM pins p WHERE p.board_id = b.id) AS rows FROM boards b WHERE b.id = $1',
    [boardId],
  );
  return {
    attempted: outcomes.length,
    acknowledged: outcomes.filter((outcome) => outcome.status === 201).length,
    refused,
    unavailableWithoutRetryAfter,
    lostAcknowledged,
    duplicates: [...byTitle].filter(([, found]) => found.length > 1).map(([title]) => title),
    presentUnacknowledged,
    counters: { ownerPinCount: owner.rows[0]?.pin_count ?? -1, boardPinCount: board.rows[0]?.pin_count ?? -1, pinRows: rows.rows.length },
  };
}

/**
 * Time from `faultAt` until writes succeeded again: the end of the last failed write that ended at or
 * after the fault and before `nextFaultAt` (0 when none failed).
 */
export function recoveryMs(outcomes: readonly WriteOutcome[], faultAt: number, nextFaultAt = Infinity): number {
  const failed = outcomes.filter((outcome) => outcome.status !== 201 && outcome.endedAt >= faultAt && outcome.endedAt < nextFaultAt);
  if (failed.length === 0) return 0;
  return Math.max(...failed.map((outcome) => outcome.endedAt)) - faultAt;
}
