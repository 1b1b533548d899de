// The unit of work on both engines: statements made through any Kysely handle join it, a nested
// db.transaction() that fails is undone alone, a statement whose error was caught leaves the unit
// usable, and nothing is visible to another connection before the commit, or at all after a rollback.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { afterCommit, currentUnitOfWork, unitOfWorkScope } from './unit-of-work.js';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  await sql`CREATE TABLE uow_notes (id int PRIMARY KEY, note text NOT NULL)`.execute(database.handle.db);
});
afterAll(async () => database?.drop());

const db = () => database.handle.db;
const notes = async () => (await sql<{ id: number }>`SELECT id FROM uow_notes ORDER BY id`.execute(db())).rows.map((row) => row.id);
const insert = (id: number) => sql`INSERT INTO uow_notes (id, note) VALUES (${id}, 'n')`.execute(db());

describe('a unit of work', () => {
  it('commits every statement of the scope together, after-commit effects last', async () => {
    const effects: string[] = [];
    await unitOfWorkScope(async () => {
      const work = await database.handle.units.begin();
      await insert(1);
      await db()
        .transaction()
        .execute(async (trx) => sql`INSERT INTO uow_notes (id, note) VALUES (2, 'n')`.execute(trx));
      await Promise.all([insert(3), insert(4), notes()]);
      await afterCommit(() => void effects.push(`after commit: ${String(currentUnitOfWork() === null)}`));
      expect(effects).toEqual([]);
      await work.commit();
    });
    expect(effects).toEqual(['after commit: true']);
    expect(await notes()).toEqual([1, 2, 3, 4]);
  });

  it('undoes a failed nested transaction alone, and survives a caught statement error', async () => {
    await unitOfWorkScope(async () => {
      const work = await database.handle.units.begin();
      await insert(10);
      await expect(
        db()
          .transaction()
          .execute(async (trx) => {
            await sql`INSERT INTO uow_notes (id, note) VALUES (11, 'n')`.execute(trx);
            throw new Error('the nested work fails');
          }),
      ).rejects.toThrow('the nested work fails');
      // A unique violation, caught: the unit goes on.
      await expect(insert(10)).rejects.toMatchObject({ code: '23505' });
      await insert(12);
      await work.commit();
    });
    expect(await notes()).toEqual([1, 2, 3, 4, 10, 12]);
  });

  it('leaves nothing after a rollback, runs no after-commit effect, and sends later statements alone', async () => {
    let ran = false;
    await unitOfWorkScope(async () => {
      const work = await database.handle.units.begin();
      await insert(20);
      await afterCommit(() => void (ran = true));
      await work.rollback();
      // Work the scope started that runs after the unit ended: on a connection of its own.
      await insert(21);
    });
    expect(ran).toBe(false);
    expect(await notes()).toEqual([1, 2, 3, 4, 10, 12, 21]);
  });

  it('is invisible to other connections until it commits (PostgreSQL)', async (context) => {
    if (database.handle.engine !== 'postgres') return context.skip();
    await unitOfWorkScope(async () => {
      const work = await database.handle.units.begin();
      await insert(30);
      const seenOutside = await unitOfWorkScope(() => notes());
      expect(seenOutside).not.toContain(30);
      await work.commit();
    });
    expect(await notes()).toContain(30);
  });
});
