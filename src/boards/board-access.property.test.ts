// The board policy has a TypeScript form (canRead, readableByEveryone in board-access.ts) and a SQL
// form (boardReadableBy, boardReadableByEveryone in board-visibility.sql.ts); single reads use the
// first, lists, searches, feeds and shared structures the second. This generates worlds of boards
// (owner, privacy) and collaborators (viewer, editor), asks both forms about every board for every
// person (owner, collaborator, stranger, no token) holding tokens with and without the secret scopes,
// and requires the same answer, the SQL form running on the real engine (PGlite, or PostgreSQL when
// DATABASE_URL is set). FUZZ_SEED and FUZZ_RUNS work as in test/fuzz (docs/security.md).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database.js';
import { fuzzSettings } from '../../test/support/fuzz-settings.js';
import { migrateToLatest } from '../platform/db/migrate.js';
import type { BoardPrivacy, CollaboratorRole } from '../platform/db/schema.js';
import { V5_SCOPES, type Scope, type Viewer } from '../platform/http/viewer.js';
import { canRead, readableByEveryone, relationOf, type ScopeFamily } from './board-access.js';
import { boardReadableBy, boardReadableByEveryone } from './board-visibility.sql.js';

const PEOPLE = 5;
const FAMILIES: readonly ScopeFamily[] = ['boards', 'pins'];
const PRIVACIES: readonly BoardPrivacy[] = ['PUBLIC', 'PROTECTED', 'SECRET'];

interface GeneratedBoard {
  owner: number;
  privacy: BoardPrivacy;
  /** Collaborators by person index (never the owner). */
  collaborators: Map<number, CollaboratorRole>;
}

interface GeneratedWorld {
  boards: GeneratedBoard[];
  /** Per person, the scopes of the token they read with; null reads without a token. */
  tokens: Array<Scope[] | null>;
}

const boardArbitrary: fc.Arbitrary<GeneratedBoard> = fc
  .record({
    owner: fc.nat({ max: PEOPLE - 1 }),
    privacy: fc.constantFrom(...PRIVACIES),
    members: fc.array(fc.tuple(fc.nat({ max: PEOPLE - 1 }), fc.constantFrom<CollaboratorRole>('viewer', 'editor')), { maxLength: 4 }),
  })
  .map(({ owner, privacy, members }) => ({
    owner,
    privacy,
    collaborators: new Map(members.filter(([person]) => person !== owner)),
  }));

const worldArbitrary: fc.Arbitrary<GeneratedWorld> = fc.record({
  boards: fc.array(boardArbitrary, { minLength: 1, maxLength: 6 }),
  // Tokens draw from all v5 scopes, so about half hold each *:read_secret.
  tokens: fc.array(fc.option(fc.subarray([...V5_SCOPES]), { freq: 6 }), { minLength: PEOPLE, maxLength: PEOPLE }),
});

let database: TestDatabase;
const userIds: string[] = [];
let nextId = 1_000_000n;
const newId = () => String((nextId += 1n));

beforeAll(async () => {
  database = await createTestDatabase();
  await migrateToLatest(database.handle.db);
  for (let person = 0; person < PEOPLE; person += 1) {
    const id = newId();
    userIds.push(id);
    await database.handle.db
      .insertInto('users')
      .values({ id, username: `person${person}`, email: `person${person}@example.com`, password_hash: 'x' })
      .execute();
  }
});
afterAll(async () => database?.drop());

function viewerOf(person: number, scopes: readonly Scope[]): Viewer {
  return { userId: userIds[person]!, username: `person${person}`, scopes: new Set(scopes), isAdmin: false };
}

/** Writes the world's boards and collaborators with fresh ids; returns the board ids in order. */
async function insertWorld(world: GeneratedWorld): Promise<string[]> {
  const db = database.handle.db;
  const ids = world.boards.map(() => newId());
  await db
    .insertInto('boards')
    .values(world.boards.map((board, i) => ({ id: ids[i]!, owner_id: userIds[board.owner]!, name: `board ${ids[i]}`, privacy: board.privacy })))
    .execute();
  const collaborators = world.boards.flatMap((board, i) =>
    [...board.collaborators].map(([person, role]) => ({ board_id: ids[i]!, user_id: userIds[person]!, role })),
  );
  if (collaborators.length > 0) await db.insertInto('board_collaborators').values(collaborators).execute();
  return ids;
}

interface SqlAnswer {
  /** boardReadableBy per viewer (in the order asked) and scope family. */
  readable: Array<Record<ScopeFamily, boolean>>;
  everyone: boolean;
}

/** The SQL forms' answers for every one of `viewers`, per board id, in one statement. */
async function sqlAnswers(viewers: ReadonlyArray<Viewer | null>, boardIds: readonly string[]): Promise<Map<string, SqlAnswer>> {
  const columns = viewers.flatMap((viewer, i) => FAMILIES.map((family) => boardReadableBy(viewer, family, 'boards').as(`v${i}_${family}`)));
  const rows: Array<Record<string, unknown>> = await database.handle.db
    .selectFrom('boards')
    .select(['id', boardReadableByEveryone('boards').as('everyone'), ...columns])
    .where('id', 'in', boardIds)
    .execute();
  return new Map(
    rows.map((row) => [
      row.id as string,
      {
        everyone: row.everyone as boolean,
        readable: viewers.map((_, i) => ({ boards: row[`v${i}_boards`] as boolean, pins: row[`v${i}_pins`] as boolean })),
      },
    ]),
  );
}

describe('board read policy: TypeScript and SQL forms', () => {
  it('agree for every generated board, role, privacy and token', async () => {
    const settings = fuzzSettings(150);
    const covered = new Set<string>();
    const stranger: Viewer = { userId: '1', username: 'stranger', scopes: new Set(), isAdmin: false };
    await fc.assert(
      fc.asyncProperty(worldArbitrary, async (world) => {
        const boardIds = await insertWorld(world);
        const viewers: Array<Viewer | null> = [null, ...world.tokens.map((scopes, person) => (scopes === null ? null : viewerOf(person, scopes)))];
        const answers = await sqlAnswers(viewers, boardIds);
        viewers.forEach((viewer, v) => {
          world.boards.forEach((board, i) => {
            const subject = { owner_id: userIds[board.owner]!, privacy: board.privacy };
            const person = viewer === null ? -1 : userIds.indexOf(viewer.userId);
            const relation = relationOf(viewer, subject, board.collaborators.get(person) ?? null);
            const answer = answers.get(boardIds[i]!)!;
            for (const family of FAMILIES) {
              const secret = viewer?.scopes.has(`${family}:read_secret`) ?? false;
              covered.add(viewer === null ? `${board.privacy} anonymous` : `${board.privacy} ${relation} ${secret ? 'secret' : 'plain'}`);
              const context = `${board.privacy} board, ${viewer === null ? 'no token' : relation}, ${family} family, scopes ${[...(viewer?.scopes ?? [])].join(' ')}`;
              expect(answer.readable[v]![family], context).toBe(canRead(viewer, subject, relation, family));
            }
            // "Everyone" is a stranger whose token holds no secret scope, whichever family asks.
            expect(answer.everyone, `${board.privacy} board, everyone`).toBe(readableByEveryone(board.privacy));
            for (const family of FAMILIES) expect(answer.everyone).toBe(canRead(stranger, subject, 'none', family));
          });
        });
      }),
      { seed: settings.seed, numRuns: settings.runs },
    );
    // Every privacy met every relation, with and without the secret scope, and no token at all.
    expect(covered.size, [...covered].sort().join(', ')).toBe(PRIVACIES.length * (4 * 2 + 1));
  }, 120_000);
});
