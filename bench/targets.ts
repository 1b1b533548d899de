// What the scenarios aim at, read from the loaded database before the server starts: viewers (with
// freshly minted tokens, their boards, words from their own pin titles and whom they already follow),
// and samples of public pins, non-empty public boards and users. Samples are taken in a fixed hash
// order, so the same dataset gives the same targets on PGlite and on PostgreSQL.
import { sql, type RawBuilder } from 'kysely';
import type { Container } from '../src/container.js';
import type { Db } from '../src/platform/db/database.js';

export interface BenchViewer {
  id: string;
  username: string;
  token: string;
  /** The viewer's own PUBLIC boards (where created and saved pins go). */
  boardIds: string[];
  /** Words of the viewer's own pin titles: search queries that match something. */
  searchWords: string[];
  /** Ids of the users the viewer already follows. */
  following: Set<string>;
}

export interface BenchUser {
  id: string;
  username: string;
}

export interface BenchTargets {
  seed: string;
  viewers: BenchViewer[];
  /** Public pin ids, most-saved first. */
  publicPins: string[];
  /** Non-empty public board ids, most-followed first. */
  publicBoards: string[];
  /** Users, most-followed first. */
  users: BenchUser[];
}

export interface TargetSizes {
  viewers: number;
  pins: number;
  boards: number;
  users: number;
}

export const DEFAULT_TARGET_SIZES: TargetSizes = { viewers: 64, pins: 20_000, boards: 5_000, users: 5_000 };

const STOP_WORDS = new Set(['with', 'from', 'that', 'this', 'your', 'into', 'ideas', 'easy', 'best']);

/** Lower-case words of four letters or more: what the English text-search config keeps as lexemes. */
export function wordsOf(title: string): string[] {
  return title
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter((word) => word.length >= 4 && !STOP_WORDS.has(word));
}

async function rows<T>(db: Db, query: RawBuilder<T>): Promise<T[]> {
  return (await query.execute(db)).rows;
}

async function pickViewers(db: Db, count: number) {
  return rows(
    db,
    sql<BenchUser>`
      SELECT u.id::text AS id, u.username
      FROM users u
      WHERE u.pin_count >= 5
        AND EXISTS (SELECT 1 FROM boards b WHERE b.owner_id = u.id AND b.privacy = 'PUBLIC')
      ORDER BY hashint8(u.id), u.id
      LIMIT ${count}`,
  );
}

async function groupByOwner(db: Db, ids: string[], query: (ids: string[]) => RawBuilder<{ owner: string; value: string }>) {
  const grouped = new Map<string, string[]>();
  for (const row of await rows(db, query(ids))) {
    const list = grouped.get(row.owner) ?? [];
    list.push(row.value);
    grouped.set(row.owner, list);
  }
  return grouped;
}

export async function collectTargets(container: Container, seed: string, sizes: TargetSizes = DEFAULT_TARGET_SIZES): Promise<BenchTargets> {
  const { db } = container;
  const chosen = await pickViewers(db, sizes.viewers);
  const ids = chosen.map((viewer) => viewer.id);
  const idArray = (list: string[]) => sql`${list}::bigint[]`;

  const boards = await groupByOwner(db, ids, (list) =>
    sql<{ owner: string; value: string }>`SELECT owner_id::text AS owner, id::text AS value FROM boards
        WHERE owner_id = ANY(${idArray(list)}) AND privacy = 'PUBLIC' ORDER BY id`,
  );
  const titles = await groupByOwner(db, ids, (list) =>
    sql<{ owner: string; value: string }>`SELECT v.id::text AS owner, p.title AS value
        FROM unnest(${idArray(list)}) AS v(id)
        CROSS JOIN LATERAL (
          SELECT title FROM pins WHERE pins.owner_id = v.id AND title IS NOT NULL ORDER BY pins.id DESC LIMIT 40
        ) p`,
  );
  const following = await groupByOwner(db, ids, (list) =>
    sql<{ owner: string; value: string }>`SELECT follower_id::text AS owner, followee_id::text AS value FROM user_follows
        WHERE follower_id = ANY(${idArray(list)})`,
  );

  const viewers: BenchViewer[] = [];
  for (const viewer of chosen) {
    const searchWords = [...new Set((titles.get(viewer.id) ?? []).flatMap(wordsOf))];
    if (searchWords.length === 0) continue;
    const issued = await container.services.tokens.issueFor(viewer.id);
    viewers.push({
      ...viewer,
      token: issued.access_token,
      boardIds: boards.get(viewer.id) ?? [],
      searchWords,
      following: new Set(following.get(viewer.id) ?? []),
    });
  }
  if (viewers.length === 0) throw new Error('the dataset has no user with public boards and titled pins to act as a viewer');

  const publicPins = await rows(
    db,
    sql<{ id: string }>`
      SELECT id FROM (
        SELECT p.id::text AS id, p.save_count FROM pins p JOIN boards b ON b.id = p.board_id
        WHERE b.privacy = 'PUBLIC' ORDER BY hashint8(p.id), p.id LIMIT ${sizes.pins}
      ) sample ORDER BY save_count DESC, id`,
  );
  const publicBoards = await rows(
    db,
    sql<{ id: string }>`
      SELECT id FROM (
        SELECT id::text AS id, follower_count FROM boards
        WHERE privacy = 'PUBLIC' AND pin_count > 0 ORDER BY hashint8(id), id LIMIT ${sizes.boards}
      ) sample ORDER BY follower_count DESC, id`,
  );
  const users = await rows(
    db,
    sql<BenchUser>`
      SELECT id, username FROM (
        SELECT id::text AS id, username, follower_count FROM users ORDER BY hashint8(id), id LIMIT ${sizes.users}
      ) sample ORDER BY follower_count DESC, id`,
  );
  return {
    seed,
    viewers,
    publicPins: publicPins.map((row) => row.id),
    publicBoards: publicBoards.map((row) => row.id),
    users,
  };
}
