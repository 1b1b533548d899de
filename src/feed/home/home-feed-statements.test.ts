// No N+1 in the home feed: a page costs the same few statements for 10 pins as for 100, through REST
// and through GraphQL (each pin's pinner, board and section batched by the request's DataLoaders), and
// a later page served from the cached list costs one statement (its hydration).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../../../test/support/test-app.js';
import { countStatements, gql } from '../../graphql/graphql-test-support.js';
import { makeSection } from '../../pins/pin-test-support.js';
import { addPin, follow, homeFeed, makeBoard } from './home-feed-test-support.js';

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

describe('statements per home feed request', () => {
  it('REST: a first page costs the same for 10 pins as for 100, and a later page one statement', async () => {
    const first = async (pageSize: number) => {
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
    // The seen pins, the following timeline (none when it is in Redis), the page's pins; the candidates'
    // features are cached per pin since the warm-up.
    expect(ten.count, ten.statements.join('\n')).toBe(withRedis ? 2 : 3);

    const next = await countStatements(t, async () => expect((await homeFeed(t, viewer, { page_size: 100, bookmark: hundred.bookmark })).items).toHaveLength(100));
    expect(next.count, next.statements.join('\n')).toBe(1);
    console.info(`GET /v5/feeds/home: ${ten.count} statements for a first page of 10 and ${hundred.count} of 100; ${next.count} for a next page of 100`);
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
    const run = (first: number) =>
      countStatements(t, async () => {
        const response = await gql<{ homeFeed: { edges: unknown[] } }>(t, viewer, query, { first });
        expect(response.errors).toEqual([]);
        expect(response.data?.homeFeed.edges).toHaveLength(first);
      });
    const ten = await run(10);
    const hundred = await run(100);
    expect(hundred.count, hundred.statements.join('\n')).toBe(ten.count);
    // REST's statements, then one per relation: pinners (and board owners), boards, sections.
    expect(ten.count, ten.statements.join('\n')).toBe(withRedis ? 5 : 6);
    console.info(`homeFeed { pinner board section }: ${ten.count} statements for 10 pins and ${hundred.count} for 100`);
  });
});
