// Which statements make a request wait for its cached rows to be dropped before it answers.
import { describe, expect, it } from 'vitest';
import { RowWriteTracker, mayChangeAccess, writesCachedRows } from './row-writes.js';

describe('writesCachedRows', () => {
  it('counts writes to cached tables and to tables whose foreign keys reach them', () => {
    expect(writesCachedRows('update "pins" set "title" = $1 where "id" = $2')).toBe(true);
    expect(writesCachedRows('UPDATE users SET public_pin_count = users.public_pin_count + 1')).toBe(true);
    expect(writesCachedRows('delete from "board_sections" where "id" = $1')).toBe(true);
    expect(writesCachedRows('insert into "board_collaborators" ("board_id") values ($1) on conflict do nothing')).toBe(true);
    expect(writesCachedRows('with gone as (delete from "boards" where "id" = $1 returning id) select 1')).toBe(true);
  });

  it('ignores reads, row locks, upserts of unrelated tables and the logs', () => {
    expect(writesCachedRows('select "pins"."id" from "pins" where "id" = $1 for no key update')).toBe(false);
    expect(writesCachedRows('select * from "boards" where "id" = $1 for update')).toBe(false);
    expect(writesCachedRows('insert into "idempotency_keys" ("key") values ($1) on conflict ("key") do update set "state" = $2')).toBe(false);
    expect(writesCachedRows('insert into "engagement_events" ("id") values ($1)')).toBe(false);
    expect(writesCachedRows('insert into "user_activity" ("user_id") values ($1) on conflict do nothing')).toBe(false);
  });
});

describe('mayChangeAccess', () => {
  it('sees revokes, removals, privacy changes, moves, deleted accounts, new collaborators, boards and pins', () => {
    expect(mayChangeAccess('update "oauth_tokens" set "revoked_at" = $1 where "access_token_hash" = $2')).toBe(true);
    expect(mayChangeAccess('delete from "board_collaborators" where "board_id" = $1 and "user_id" = $2')).toBe(true);
    expect(mayChangeAccess('insert into "board_collaborators" ("board_id", "user_id", "role") values ($1, $2, $3)')).toBe(true);
    expect(mayChangeAccess('update "boards" set "privacy" = $1 where "id" = $2')).toBe(true);
    expect(mayChangeAccess('UPDATE pins SET board_id = $1 WHERE id = $2')).toBe(true);
    expect(mayChangeAccess('with gone as (delete from "users" where "id" = $1 returning id) select 1')).toBe(true);
    // A process may remember a new board's or pin's id as missing (asked for before the insert).
    expect(mayChangeAccess('insert into "pins" ("id", "board_id") values ($1, $2)')).toBe(true);
    expect(mayChangeAccess('insert into "boards" ("id", "owner_id") values ($1, $2)')).toBe(true);
  });

  it('leaves out reads, row locks, new rows elsewhere and other tables', () => {
    expect(mayChangeAccess('select * from "boards" where "id" = $1 for update')).toBe(false);
    expect(mayChangeAccess('insert into "users" ("id") values ($1)')).toBe(false);
    expect(mayChangeAccess('insert into "pins_archive" ("id") values ($1)')).toBe(false);
    expect(mayChangeAccess('insert into "oauth_tokens" ("id") values ($1)')).toBe(false);
    expect(mayChangeAccess('update "users" set "follower_count" = "follower_count" + 1 where "id" = $1')).toBe(false);
    expect(mayChangeAccess('update "pins_archive" set "x" = 1')).toBe(false);
    expect(mayChangeAccess('insert into "idempotency_keys" ("key") values ($1) on conflict ("key") do update set "state" = $2')).toBe(false);
  });
});

describe('RowWriteTracker', () => {
  it('remembers a write for the rest of its own request only', async () => {
    const tracker = new RowWriteTracker();
    const writer = tracker.run(async () => {
      tracker.record('update "pins" set "title" = $1');
      await new Promise((resolve) => setTimeout(resolve, 5));
      return tracker.wroteCachedRows();
    });
    const reader = tracker.run(async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      return tracker.wroteCachedRows();
    });
    expect(await writer).toBe(true);
    expect(await reader).toBe(false);
    expect(tracker.wroteCachedRows()).toBe(false);
  });
});
