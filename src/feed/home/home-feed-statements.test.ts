// No N+1 in the home feed: a page costs the same few statements for 10 pins as for 100, through REST
// and through GraphQL (each pin's pinner, board and section batched by the request's DataLoaders), and
// a later page served from the cached list costs one statement at most. Counted with the pin, board
// and user rows cold (loaded from the database) and warm (all from the cache).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../../../test/support/test-app.js';
import { countStatements, gql } from '../../graphql/graphql-test-support.js';
import { makeSection } from '../../pins/pin-test-support.js';
import { addPin, follow, homeFeed, makeBoard } from './home-feed-test-support.js';
import { ROW_NAMESPACES } from '../../platform/cache/cached-rows.js';

let t: TestApp;
let viewer: TestUser;

const withRedis = Boolean(process.env.REDIS_URL);

beforeAll(async () => {
  t = await createTestApp();
  viewer = await t.signUp('count_viewer');
  await makeBoard(t, viewer, 'Dinner Ideas');
  for (let index = 0; index < 6; index += 1) {
    const author = await t.signUp(`count_author${index}`);
    await follow(t, viewer, author);
    const board = await makeBoard(t, author, index % 2 === 0 ? 'Dinner Ideas' : `Board ${index}`);
    const section = await makeSection(t, author, board, 'Favourites');
    for (let n = 0; n < 40; n += 1) {
      const { pinId } = await addPin(t, author, board, { ageHours: n + index, saves: n % 5 });
      if (n % 2 === 0) await t.container.db.updateTable('pins').set({ board_section_id: section }).where('id', '=', pinId).execute();
    }
  }
  await t.container.background.settle();
  // Warm up: the token, the viewer's interests and the topics' boards are cached from here on.
  await homeFeed(t, viewer, { page_size: 5 });
});
afterAll(async () => t.close());

/** Lets the set-up's delayed second deletes land, then empties (cold) or keeps (warm) the row caches. */
async function rowCaches(state: 'cold' | 'warm'): Promise<void> {
  await t.container.background.settle();
  if (state === 'cold') await t.container.background.cache.clearNamespaces(Object.values(ROW_NAMESPACES));
}

describe('statements per home feed request', () => {
  it('REST: a first page costs the same for 10 pins as for 100, and a later page one statement', async () => {
    const first = async (pageSize: number, rows: 'cold' | 'warm' = 'cold') => {
      await rowCaches(rows);
      let bookmark: string | null = null;
      const counted = await countStatements(t, async () => {
        const page = await homeFeed(t, viewer, { page_size: pageSize });
        expect(page.items).toHaveLength(pageSize);
        bookmark = page.bookmark;
      });
      return { ...counted, bookmark: bookmark as string | null };
    };
    const ten = await first(10);
    const hundred = await first(100);
    expect(hundred.count, hundred.statements.join('\n')).toBe(ten.count);
    // The seen pins, the following timeline (none when it is in Redis), then the page's pins with their
    // boards and owners in one statement (pin-bundle.repository.ts); the candidates' features are
    // cached per pin since the warm-up.
    expect(ten.count, ten.statements.join('\n')).toBe(withRedis ? 2 : 3);
    // Warm rows: the page is hydrated from the cache.
    const warm = await first(100, 'warm');
    expect(warm.count, warm.statements.join('\n')).toBe(withRedis ? 1 : 2);

    await rowCaches('warm');
    const next = await countStatements(t, async () => expect((await homeFeed(t, viewer, { page_size: 100, bookmark: hundred.bookmark })).items).toHaveLength(100));
    // The next page's pins, not read before; their boards and owners come from the cache.
    expect(next.count, next.statements.join('\n')).toBe(1);
    expect(next.statements[0]).toMatch(/WITH asked AS/);
    console.info(
      `GET /v5/feeds/home: rows cold ${ten.count} statements for a first page of 10 and ${hundred.count} of 100, warm ${warm.count}; ${next.count} for a next page of 100`,
    );
  });

  it('GraphQL: homeFeed with each pin\'s pinner, board and section costs the same for 10 pins as for 100', async () => {
    const query = /* GraphQL */ `
      query Feed($first: Int!) {
        homeFeed(first: $first) {
          edges { cursor node { id title pinner { username followerCount } board { name owner { username } } section { name } } }
          pageInfo { hasNextPage endCursor }
        }
      }
    `;
    const run = async (first: number, rows: 'cold' | 'warm' = 'cold') => {
      await rowCaches(rows);
      return countStatements(t, async () => {
        const response = await gql<{ homeFeed: { edges: unknown[] } }>(t, viewer, query, { first });
        expect(response.errors).toEqual([]);
        expect(response.data?.homeFeed.edges).toHaveLength(first);
      });
    };
    const ten = await run(10);
    const hundred = await run(100);
    expect(hundred.count, hundred.statements.join('\n')).toBe(ten.count);
    const warm = await run(100, 'warm');
    // Warm: REST's statements, the boards' collaborators for the viewer's relation to them (cached
    // too), and the sections, the one relation not cached by id.
    expect(warm.count, warm.statements.join('\n')).toBe(withRedis ? 2 : 3);
    console.info(`homeFeed { pinner board section }: rows cold ${ten.count} statements for 10 pins and ${hundred.count} for 100, warm ${warm.count}`);
  });
});
