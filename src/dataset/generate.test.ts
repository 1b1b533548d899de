import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database.js';
import { PasswordHasher } from '../auth/password-hasher.js';
import { IMAGE_SIZES } from '../media/image-processor.js';
import { migrateToLatest } from '../platform/db/migrate.js';
import type { Db } from '../platform/db/database.js';
import { imageStorageKey } from '../media/image-urls.js';
import { LocalBlobStorage } from '../platform/storage/local-blob-storage.js';
import { generateDataset, type DatasetSummary, type GenerateOptions } from './generate.js';
import { DatabaseNotEmptyError, loadTable } from './loader.js';
import { openCopyConnection, type CopyConnection } from './copy-connection.js';
import type { TableSource } from './rows.js';
import { counterMismatches } from './verify-counters.js';

interface HeldOutLine {
  user_id: string;
  saved_pin_id: string;
  board_id: string;
  created_at: string;
}

let database: TestDatabase;
let dir: string;
let options: GenerateOptions;
let summary: DatasetSummary;
/** On PostgreSQL the tables load through COPY, as `npm run dataset` loads them there. */
let copy: CopyConnection | undefined;
const count = async (query: string) =>
  (await sql<{ n: number }>`SELECT count(*)::int AS n FROM (${sql.raw(query)}) q`.execute(database.handle.db)).rows[0]?.n;

beforeAll(async () => {
  database = await createTestDatabase();
  await migrateToLatest(database.handle.db);
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'corkboard-dataset-'));
  options = {
    users: 300,
    pins: 2_000,
    saves: 6_000,
    images: 12,
    seed: 'load-test',
    holdoutUsers: 20,
    holdoutFile: path.join(dir, 'holdout.jsonl'),
    storage: new LocalBlobStorage(path.join(dir, 'media')),
    password: 'dataset-secret',
  };
  if (database.url) copy = await openCopyConnection(database.url);
  options.copy = copy;
  summary = await generateDataset(database.handle.db, options);
});

afterAll(async () => {
  await copy?.close();
  await database?.drop();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

/**
 * Per table: the row count and an md5 of every row as text (times in UTC), leaving out what is random
 * by design (image capabilities, the salted password hash), what follows from the image bytes (their
 * hash, size and colour, which an image library update may change) and unreferenced_at (set to now()).
 */
async function tableDigests(): Promise<Record<string, string>> {
  const excluded = ['capability', 'password_hash', 'search_vector', 'unreferenced_at', 'sha256', 'byte_size', 'dominant_color'];
  const tables = ['users', 'boards', 'board_sections', 'board_collaborators', 'images', 'pins', 'user_follows', 'board_follows'];
  return database.handle.db.transaction().execute(async (trx) => {
    await sql`SET LOCAL TIME ZONE 'UTC'`.execute(trx);
    const digests: Record<string, string> = {};
    for (const table of tables) {
      const columns = await sql<{ name: string }>`
        SELECT column_name AS name FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name = ${table} ORDER BY ordinal_position`.execute(trx);
      const row = sql.join(columns.rows.filter((column) => !excluded.includes(column.name)).map((column) => sql.ref(column.name)));
      const result = await sql<{ digest: string }>`
        SELECT count(*) || ' ' || md5(string_agg(r, E'\n' ORDER BY r)) AS digest
        FROM (SELECT (${row})::text AS r FROM ${sql.table(table)}) q`.execute(trx);
      digests[table] = result.rows[0]!.digest;
    }
    const search = await sql<{ digest: string }>`SELECT md5(string_agg(search_vector::text, '|' ORDER BY id)) AS digest FROM pins`.execute(trx);
    digests.pins_search = search.rows[0]!.digest;
    return digests;
  });
}

/** Every constraint, index and trigger (with whether it is enabled) of the database's tables. */
async function schemaOf(db: Db): Promise<string[]> {
  const result = await sql<{ item: string }>`
    SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) AS item
    FROM pg_constraint WHERE connamespace = current_schema()::regnamespace
    UNION ALL SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema()
    UNION ALL SELECT tgrelid::regclass::text || ' ' || tgname || ' ' || tgenabled::text FROM pg_trigger WHERE NOT tgisinternal
    ORDER BY 1`.execute(db);
  return result.rows.map((row) => row.item);
}

describe('generateDataset', () => {
  // The same seed and options give the same rows, whatever the engine and however they are loaded
  // (INSERT batches on the embedded database, COPY on PostgreSQL): these digests were taken from the
  // first loader, which inserted row by row with every index, foreign key and trigger in place.
  it('loads exactly the rows the seed determines, on either engine and loading path', async () => {
    expect(await tableDigests()).toEqual({
      users: '300 baf6fb8bb1fc486749bc8b54221f8e26',
      boards: '992 4a43e85702df455333c497f82a4dc541',
      board_sections: '457 8cda2c2011b1d4aa511cefbd37c3d89e',
      board_collaborators: '41 f7dac534c618c856e2effffab3ce6339',
      images: '12 dad5b9b5a4cc7a7fe745c584b546d302',
      pins: '7694 6480a2ef0a0200fac2b95737d2806569',
      user_follows: '10305 3937bf45095b0c010252c314e9563963',
      board_follows: '1526 8f104dd597b10fe3cc92de4ab6a1c40f',
      pins_search: '558cc26b411f7f029328ad520f37687b',
    });
  });

  it('leaves the loaded tables with every index, foreign key and trigger they had', async () => {
    const loaded = await schemaOf(database.handle.db);
    const fresh = await createTestDatabase();
    try {
      await migrateToLatest(fresh.handle.db);
      const migrated = await schemaOf(fresh.handle.db);
      expect(loaded).toEqual(migrated);
      expect(loaded.filter((item) => item.includes('FOREIGN KEY')).length).toBeGreaterThan(10);
    } finally {
      await fresh.drop();
    }
  });

  it('loads every table with the rows the summary reports', async () => {
    for (const [table, rows] of Object.entries(summary.rows)) {
      expect(await count(`SELECT 1 FROM ${table}`), table).toBe(rows);
    }
    expect(summary.rows.pins).toBe(2_000 + 6_000 - summary.skippedSaves - summary.heldOut);
    expect(summary.rows.user_follows).toBeGreaterThan(1_000);
    expect(summary.databaseBytes).toBeGreaterThan(0);
  });

  it('leaves every counter column equal to what its rows imply', async () => {
    const mismatches = await counterMismatches(database.handle.db);
    expect(Object.keys(mismatches)).toHaveLength(11);
    expect(mismatches).toEqual(Object.fromEntries(Object.keys(mismatches).map((counter) => [counter, 0])));
    expect(await count('SELECT 1 FROM pins WHERE save_count > 0')).toBeGreaterThan(100);
    expect(await count('SELECT 1 FROM boards WHERE follower_count > 0')).toBeGreaterThan(10);
  });

  it('never saves a pin from a SECRET or PROTECTED board', async () => {
    expect(await count("SELECT 1 FROM boards WHERE privacy = 'SECRET'")).toBeGreaterThan(0);
    expect(
      await count(`
        SELECT 1 FROM pins save JOIN pins source ON source.id = save.parent_pin_id
        JOIN boards b ON b.id = source.board_id WHERE b.privacy <> 'PUBLIC'`),
    ).toBe(0);
  });

  it('writes the held-out saves to the file and not to the database', async () => {
    const lines = (await fs.readFile(options.holdoutFile as string, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as HeldOutLine);
    expect(lines).toHaveLength(summary.heldOut);
    expect(new Set(lines.map((line) => line.user_id)).size).toBe(20);
    for (const line of lines) {
      expect(
        await count(`SELECT 1 FROM pins WHERE board_id = ${line.board_id} AND parent_pin_id = ${line.saved_pin_id}`),
      ).toBe(0);
      // The pin to recommend exists and is public; the board is the user's own.
      expect(
        await count(`
          SELECT 1 FROM pins p JOIN boards b ON b.id = p.board_id
          WHERE p.id = ${line.saved_pin_id} AND p.parent_pin_id IS NULL AND b.privacy = 'PUBLIC'`),
      ).toBe(1);
      expect(await count(`SELECT 1 FROM boards WHERE id = ${line.board_id} AND owner_id = ${line.user_id}`)).toBe(1);
      // Held back are the user's latest saves.
      expect(
        await count(`
          SELECT 1 FROM pins WHERE owner_id = ${line.user_id} AND parent_pin_id IS NOT NULL
          AND created_at > '${line.created_at}'`),
      ).toBe(0);
    }
  });

  it('stores every size of every image and gives accounts the shared password', async () => {
    const images = await database.handle.db.selectFrom('images').select(['id', 'dominant_color']).execute();
    expect(images).toHaveLength(12);
    for (const image of images) {
      for (const size of [...IMAGE_SIZES, 'originals' as const]) {
        expect(await options.storage.exists(imageStorageKey(image.id, size)), `${image.id} ${size}`).toBe(true);
      }
    }
    expect(await count('SELECT 1 FROM pins p JOIN images i ON i.id = p.image_id WHERE p.dominant_color <> i.dominant_color')).toBe(0);
    const user = await database.handle.db.selectFrom('users').select('password_hash').limit(1).executeTakeFirstOrThrow();
    expect(await new PasswordHasher().verify('dataset-secret', user.password_hash)).toBe(true);
  });

  it('names every image by a capability of its own, and marks as unreferenced only images no pin shows', async () => {
    const images = await database.handle.db.selectFrom('images').select(['capability', 'owner_id']).execute();
    for (const image of images) {
      expect(image.capability).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(image.owner_id).toBeNull();
    }
    expect(new Set(images.map((image) => image.capability)).size).toBe(images.length);
    expect(
      await count('SELECT 1 FROM images i WHERE (i.unreferenced_at IS NULL) <> EXISTS (SELECT 1 FROM pins p WHERE p.image_id = i.id)'),
    ).toBe(0);
  });

  it('refuses a database that has users unless asked to reset, then loads the same data again', async () => {
    const before = await count('SELECT 1 FROM pins');
    await expect(generateDataset(database.handle.db, options)).rejects.toBeInstanceOf(DatabaseNotEmptyError);
    expect(await count('SELECT 1 FROM pins')).toBe(before);

    const snapshot = async () =>
      (await sql<{ digest: string }>`
        SELECT md5(string_agg(id::text || ':' || board_id || ':' || coalesce(parent_pin_id::text, '') || ':' ||
          coalesce(title, '') || ':' || save_count, ',' ORDER BY id)) AS digest FROM pins`.execute(database.handle.db)).rows[0]?.digest;
    const first = await snapshot();
    const again = await generateDataset(database.handle.db, { ...options, reset: true, reuseImages: true });
    expect(again.imagesReused).toBe(true);
    expect(again.rows).toEqual(summary.rows);
    expect(await snapshot()).toBe(first);
  });

  it('rolls a failed table load back whole, indexes included', async () => {
    const indexes = async () =>
      (await sql<{ name: string }>`SELECT indexname AS name FROM pg_indexes WHERE tablename = 'board_sections' ORDER BY 1`.execute(
        database.handle.db,
      )).rows.map((row) => row.name);
    const before = { rows: await count('SELECT 1 FROM board_sections'), indexes: await indexes() };
    expect(before.indexes).toContain('board_sections_board_name_key');
    const board = await database.handle.db.selectFrom('boards').select('id').limit(1).executeTakeFirstOrThrow();
    // Two sections with the same name on one board: the rows go in, the unique index rebuild refuses them.
    const source: TableSource = {
      table: 'board_sections',
      columns: [
        { name: 'id', type: 'bigint' },
        { name: 'board_id', type: 'bigint' },
        { name: 'name', type: 'text' },
      ],
      count: 2,
      batch: (start, end) => [['1', '2'].slice(start, end), [board.id, board.id].slice(start, end), ['Twice', 'twice'].slice(start, end)],
    };
    await expect(loadTable(database.handle.db, source, { batchRows: 1, copy })).rejects.toThrow(/board_sections_board_name_key/);
    expect({ rows: await count('SELECT 1 FROM board_sections'), indexes: await indexes() }).toEqual(before);
  });

  it('stores text exactly as rendered, separators and backslashes included', async () => {
    const board = await database.handle.db.selectFrom('boards').select('id').limit(1).executeTakeFirstOrThrow();
    const names = ['tab\there', 'two\nlines', 'back\\slash', '\\N', 'carriage\rreturn', 'émoji 📌 ünïcode', ''];
    const source: TableSource = {
      table: 'board_sections',
      columns: [
        { name: 'id', type: 'bigint' },
        { name: 'board_id', type: 'bigint' },
        { name: 'name', type: 'text' },
      ],
      count: names.length,
      batch: (start, end) => [names.map((_, i) => String(900_000 + i)).slice(start, end), names.map(() => board.id).slice(start, end), names.slice(start, end)],
    };
    await loadTable(database.handle.db, source, { batchRows: 3, copy });
    const stored = await database.handle.db.selectFrom('board_sections').select('name').where('id', '>=', '900000').where('id', '<', '901000').orderBy('id').execute();
    await database.handle.db.deleteFrom('board_sections').where('id', '>=', '900000').where('id', '<', '901000').execute();
    expect(stored.map((row) => row.name)).toEqual(names);
  });
});
