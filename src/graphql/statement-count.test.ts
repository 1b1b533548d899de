// No N+1: a board's pins with each pin's pinner, board and section run the same small number of
// statements for 10 pins as for 100, and so do lists of boards with their pins, sections and
// collaborators (each list under each board batches into one statement per level). Counted with the
// row caches cold (every user, board and pin loaded from the database) and warm.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../../test/support/test-app.js';
import { addCollaborator, makeBoard, makeSection } from '../pins/pin-test-support.js';
import { insertPin } from '../boards/board-test-support.js';
import { countStatements, gql } from './graphql-test-support.js';
import { ROW_NAMESPACES } from '../platform/cache/cached-rows.js';

const BOARD_PINS = /* GraphQL */ `
  query BoardPins($id: ID!, $first: Int!) {
    board(id: $id) {
      name
      pins(first: $first) {
        pageInfo { hasNextPage endCursor }
        edges {
          cursor
          node {
            id
            title
            media { images { image600x { url width height } } }
            pinner { username followerCount }
            board { name owner { username } }
            section { name }
          }
        }
      }
    }
  }
`;

const BOARDS_WITH_LISTS = /* GraphQL */ `
  query Boards($first: Int!) {
    viewer {
      boards(first: $first) {
        edges {
          node {
            name
            owner { username }
            media { imageCoverUrl }
            pins(first: 5) { edges { node { id pinner { username } section { name } } } }
            sections(first: 5) { edges { node { name pins(first: 2) { edges { node { id } } } } } }
            collaborators(first: 5) { edges { node { role user { username } } } }
          }
        }
      }
    }
  }
`;

describe('statements per GraphQL query', () => {
  let t: TestApp;
  let alice: TestUser;
  let small: string;
  let large: string;

  async function fillBoard(boardId: string, pins: number, owners: TestUser[]): Promise<void> {
    const sections = [await makeSection(t, alice, boardId, 'First'), await makeSection(t, alice, boardId, 'Second')];
    for (let index = 0; index < pins; index++) {
      const owner = owners[index % owners.length] as TestUser;
      const { pinId } = await insertPin(t, owner, boardId);
      if (index % 3 !== 0) {
        await t.container.db.updateTable('pins').set({ board_section_id: sections[index % 2] ?? null }).where('id', '=', pinId).execute();
      }
    }
  }

  beforeAll(async () => {
    t = await createTestApp();
    alice = await t.signUp('alice');
    const others = [await t.signUp('bob'), await t.signUp('carol'), await t.signUp('dave')];
    small = await makeBoard(t, alice, 'Small');
    large = await makeBoard(t, alice, 'Large');
    for (const other of others) {
      await addCollaborator(t, alice, small, other, 'editor');
      await addCollaborator(t, alice, large, other, 'editor');
    }
    await fillBoard(small, 10, [alice, ...others]);
    await fillBoard(large, 100, [alice, ...others]);
    for (let index = 0; index < 8; index++) {
      const boardId = await makeBoard(t, alice, `Extra ${index}`);
      await fillBoard(boardId, 3, [alice, ...others]);
    }
  });

  afterAll(async () => {
    await t.close();
  });

  const coldRows = async () => {
    // Invalidations from the set-up are followed by a second delete a moment later: let them land
    // first, so they cannot empty the cache in the middle of a measurement.
    await t.container.background.settle();
    await t.container.background.cache.clearNamespaces(Object.values(ROW_NAMESPACES));
  };

  it('reads 100 pins with pinner, board and section in as many statements as 10 pins', async () => {
    const run = async (id: string, first: number, cache: 'cold' | 'warm') => {
      if (cache === 'cold') await coldRows();
      else await t.container.background.settle();
      return countStatements(t, async () => {
        const response = await gql<{ board: { pins: { edges: unknown[] } } }>(t, alice, BOARD_PINS, { id, first });
        expect(response.errors).toEqual([]);
        expect(response.data?.board.pins.edges).toHaveLength(first);
      });
    };
    // A first request warms what every request shares (the verified token is cached, the viewer's
    // activity is recorded at most every few minutes), so both measured requests start alike.
    await run(small, 10, 'warm');
    const ten = await run(small, 10, 'cold');
    const hundred = await run(large, 100, 'cold');
    // Cold: the board, one LATERAL statement for the pin page, the pinners and the sections; each
    // pin's board comes from the loader that loaded board(id).
    expect(hundred.count, hundred.statements.join('\n')).toBe(ten.count);
    expect(ten.count, ten.statements.join('\n')).toBe(4);
    // Warm: the board and the pinners come from the cache; the page and the sections are queries.
    const warm = await run(large, 100, 'warm');
    expect(warm.count, warm.statements.join('\n')).toBe(2);
    expect(warm.statements.join('\n')).not.toMatch(/from "(users|boards)" where/);
    console.info(
      `board(id) { pins(first: N) { pinner board section } }: cold ${ten.count} statements for 10 pins and ${hundred.count} for 100, warm ${warm.count}`,
    );
  });

  it('reads boards with their pins, sections (and their pins) and collaborators in a constant number of statements', async () => {
    const run = async (first: number) => {
      await coldRows();
      return countStatements(t, async () => {
        const response = await gql<{ viewer: { boards: { edges: unknown[] } } }>(t, alice, BOARDS_WITH_LISTS, { first });
        expect(response.errors).toEqual([]);
        expect(response.data?.viewer.boards.edges).toHaveLength(first);
      });
    };
    await run(2);
    const two = await run(2);
    const ten = await run(10);
    expect(ten.count, `${two.statements.join('\n')}\n----\n${ten.statements.join('\n')}`).toBe(two.count);
    console.info(`viewer.boards with pins, sections, section pins and collaborators: ${two.count} statements for 2 boards and ${ten.count} for 10`);
  });
});
