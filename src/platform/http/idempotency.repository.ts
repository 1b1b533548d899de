// Idempotency records live in the database, so every API process sees them and they survive restarts.
// A record holds a request's answer and is written in the request's own transaction (its unit of
// work), so it exists exactly when the request's writes do. While the request runs, its key is held
// by an advisory lock of that transaction: it ends with the transaction, so a process or a connection
// that dies frees the key at once, with nothing to expire.
import { sql } from 'kysely';
import type { Db } from '../db/database.js';

export interface StoredAnswer {
  fingerprint: string;
  scopes: string[];
  statusCode: number;
  responseBody: string;
}

export interface IdempotencyStore {
  /**
   * Holds the key for the current transaction; false when another live transaction holds it (a
   * request with this key is running).
   */
  hold(userId: string, key: string): Promise<boolean>;
  /** The recorded answer for the key, if a request with it has completed. */
  find(userId: string, key: string): Promise<StoredAnswer | undefined>;
  /** Records the answer (in the current transaction). */
  save(userId: string, key: string, answer: StoredAnswer): Promise<void>;
  deleteOlderThan(cutoff: Date): Promise<number>;
}

export class IdempotencyRepository implements IdempotencyStore {
  constructor(private readonly db: Db) {}

  async hold(userId: string, key: string): Promise<boolean> {
    const { rows } = await sql<{ held: boolean }>`
      SELECT pg_try_advisory_xact_lock(hashtext('corkboard.idempotency_key'), hashtext(${userId} || ':' || ${key})) AS held
    `.execute(this.db);
    return rows[0]?.held === true;
  }

  async find(userId: string, key: string): Promise<StoredAnswer | undefined> {
    const row = await this.db
      .selectFrom('idempotency_keys')
      .select(['fingerprint', 'scopes', 'status_code', 'response_body'])
      .where('user_id', '=', userId)
      .where('key', '=', key)
      // A record without an answer was left by a version that recorded keys before their requests
      // finished: its request is not running (the lock says so), so it is as good as absent.
      .where('status_code', 'is not', null)
      .executeTakeFirst();
    if (!row) return undefined;
    return { fingerprint: row.fingerprint, scopes: row.scopes, statusCode: row.status_code!, responseBody: row.response_body ?? '' };
  }

  async save(userId: string, key: string, answer: StoredAnswer): Promise<void> {
    const values = {
      fingerprint: answer.fingerprint,
      scopes: [...answer.scopes],
      status_code: answer.statusCode,
      response_body: answer.responseBody,
    };
    await this.db
      .insertInto('idempotency_keys')
      .values({ user_id: userId, key, ...values })
      .onConflict((oc) => oc.columns(['user_id', 'key']).doUpdateSet({ ...values, created_at: sql`now()` }))
      .execute();
  }

  async deleteOlderThan(cutoff: Date): Promise<number> {
    const result = await this.db.deleteFrom('idempotency_keys').where('created_at', '<', cutoff).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
