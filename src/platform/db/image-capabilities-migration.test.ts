// Migration 2026-12-05T1500 on a database that already has images: every image gets a capability of
// its own, images no pin shows are marked, and down folds images of the same bytes back into one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { createMigrator, migrateToLatest } from './migrate.js';
import { migrations } from './migrations/index.js';

const MIGRATION = '2026-12-05T1500_image_capabilities';
const names = Object.keys(migrations).sort();
const BEFORE = names[names.indexOf(MIGRATION) - 1] as string;

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  await migrateToLatest(database.handle.db);
});
afterAll(async () => database.drop());

async function migrateTo(name: string): Promise<void> {
  const result = await createMigrator(database.handle.db).migrateTo(name);
  if (result.error) throw result.error instanceof Error ? result.error : new Error(`migrating to ${name} failed`);
}

describe(`migration ${MIGRATION}`, () => {
  it('gives existing images capabilities, marks those no pin shows, and folds them back on the way down', async () => {
    const { db } = database.handle;
    await migrateTo(BEFORE);
    await sql`
      INSERT INTO users (id, username, email, password_hash) VALUES (1, 'ann', 'ann@example.test', 'x'), (2, 'ben', 'ben@example.test', 'x');
      INSERT INTO boards (id, owner_id, name, privacy) VALUES (10, 1, 'Ann', 'SECRET'), (20, 2, 'Ben', 'PUBLIC');
      INSERT INTO images (id, sha256, width, height, content_type, dominant_color, byte_size) VALUES
        (100, 'aaa', 10, 10, 'image/png', '#000000', 1),
        (101, 'bbb', 10, 10, 'image/png', '#000000', 1),
        (102, 'ccc', 10, 10, 'image/png', '#000000', 1);
      INSERT INTO pins (id, owner_id, board_id, image_id) VALUES (1000, 1, 10, 100), (1001, 2, 20, 100), (1002, 2, 20, 101);
    `.execute(db);

    await migrateToLatest(db);
    const images = await db.selectFrom('images').select(['id', 'capability', 'owner_id', 'unreferenced_at']).orderBy('id').execute();
    expect(images.map((image) => [image.id, image.owner_id, image.unreferenced_at !== null])).toEqual([
      ['100', null, false],
      ['101', null, false],
      ['102', null, true],
    ]);
    for (const image of images) expect(image.capability).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(new Set(images.map((image) => image.capability)).size).toBe(3);

    // Two owners may now hold the same bytes; down keeps the oldest image and points pins at it.
    await sql`
      INSERT INTO images (id, capability, owner_id, sha256, width, height, content_type, dominant_color, byte_size)
      VALUES (103, 'BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB', 2, 'aaa', 10, 10, 'image/png', '#000000', 1);
      INSERT INTO pins (id, owner_id, board_id, image_id) VALUES (1003, 2, 20, 103);
    `.execute(db);
    await migrateTo(BEFORE);
    const pins = await sql<{ id: string; image_id: string }>`SELECT id::text, image_id::text FROM pins ORDER BY id`.execute(db);
    expect(pins.rows.map((pin) => pin.image_id)).toEqual(['100', '100', '101', '100']);
    const left = await sql<{ id: string }>`SELECT id::text FROM images ORDER BY id`.execute(db);
    expect(left.rows.map((image) => image.id)).toEqual(['100', '101', '102']);
    await migrateToLatest(db);
  });
});
