// The by-id reader of row changes: it applies an entry as soon as its transaction commits, also when
// a transaction that drew a smaller id commits after it (the id passed on the way is asked for again).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/support/test-app.js';
import type { LoggedChange } from '../changes/change.js';
import { RecentRowChanges } from './recent-row-changes.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

function logRowChange(db: TestApp['container']['db'], id: string) {
  return sql`INSERT INTO change_log (kind, payload) VALUES ('rows.changed', ${JSON.stringify({ table: 'pins', ids: [id] })}::jsonb)`.execute(db);
}

describe('recent row changes', () => {
  it('applies each entry once it commits, in whatever order transactions commit', async () => {
    const applied: string[] = [];
    const reader = new RecentRowChanges(
      t.container.background.logs,
      async (changes: readonly LoggedChange[]) => {
        for (const change of changes) if (change.kind === 'rows.changed') applied.push(...change.ids);
      },
      { pollMs: 60_000 },
    );
    await reader.start();
    try {
      await logRowChange(t.container.db, 'first');
      await reader.poke();
      expect(applied).toEqual(['first']);
      if (t.container.database.engine === 'pglite') return; // one connection: transactions cannot overlap

      let release!: () => void;
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      // The slow transaction draws its id first and commits last.
      const slow = t.container.db.transaction().execute(async (tx) => {
        await logRowChange(tx, 'slow');
        await held;
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      await logRowChange(t.container.db, 'fast');
      await reader.poke();
      expect(applied).toEqual(['first', 'fast']);
      release();
      await slow;
      await reader.poke();
      expect(applied).toEqual(['first', 'fast', 'slow']);
      // Each once: what the ordered change stream later sees of them is already applied.
      await reader.poke();
      expect(applied).toEqual(['first', 'fast', 'slow']);
    } finally {
      await reader.stop();
    }
  });
});
