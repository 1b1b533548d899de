// Idempotency records live in the database, so every API process sees them and they survive restarts.
import { sql } from 'kysely';
import type { Db } from '../db/database.js';

export type BeginOutcome =
  | { kind: 'started' }
  | { kind: 'in_progress'; fingerprint: string; scopes: string[] }
  | { kind: 'completed'; fingerprint: string; scopes: string[]; statusCode: number; responseBody: string };

export interface IdempotencyStore {
  begin(userId: string, key: string, fingerprint: string, scopes: readonly string[], abandonedAfterMs: number): Promise<BeginOutcome>;
  complete(userId: string, key: string, statusCode: number, responseBody: string): Promise<void>;
  release(userId: string, key: string): Promise<void>;
  deleteOlderThan(cutoff: Date): Promise<number>;
}

export class IdempotencyRepository implements IdempotencyStore {
  constructor(private readonly db: Db) {}

  async begin(userId: string, key: string, fingerprint: string, scopes: readonly string[], abandonedAfterMs: number): Promise<BeginOutcome> {
    // Insert, or take over a record whose request was abandoned mid-flight; the row lock makes
    // exactly one of several concurrent retries win.
    const claimed = await this.db
      .insertInto('idempotency_keys')
      .values({ user_id: userId, key, fingerprint, scopes: [...scopes] })
      .onConflict((oc) =>
        oc
          .columns(['user_id', 'key'])
          .doUpdateSet({ fingerprint, scopes: [...scopes], created_at: sql`now()` })
          .where('idempotency_keys.status_code', 'is', null)
          .where('idempotency_keys.fingerprint', '=', fingerprint)
          .where('idempotency_keys.created_at', '<', sql<Date>`now() - make_interval(secs => ${abandonedAfterMs / 1000})`),
      )
      .returning('key')
      .executeTakeFirst();
    if (claimed) return { kind: 'started' };
    const existing = await this.db
      .selectFrom('idempotency_keys')
      .select(['fingerprint', 'scopes', 'status_code', 'response_body'])
      .where('user_id', '=', userId)
      .where('key', '=', key)
      .executeTakeFirst();
    if (!existing) return this.begin(userId, key, fingerprint, scopes, abandonedAfterMs);
    if (existing.status_code === null) return { kind: 'in_progress', fingerprint: existing.fingerprint, scopes: existing.scopes };
    return {
      kind: 'completed',
      fingerprint: existing.fingerprint,
      scopes: existing.scopes,
      statusCode: existing.status_code,
      responseBody: existing.response_body ?? '',
    };
  }

  async complete(userId: string, key: string, statusCode: number, responseBody: string): Promise<void> {
    await this.db
      .updateTable('idempotency_keys')
      .set({ status_code: statusCode, response_body: responseBody })
      .where('user_id', '=', userId)
      .where('key', '=', key)
      .execute();
  }

  async release(userId: string, key: string): Promise<void> {
    await this.db.deleteFrom('idempotency_keys').where('user_id', '=', userId).where('key', '=', key).execute();
  }

  async deleteOlderThan(cutoff: Date): Promise<number> {
    const result = await this.db.deleteFrom('idempotency_keys').where('created_at', '<', cutoff).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
