// Finding 2: relatedPins (a random walk of up to RELATED_PINS_STEPS steps) cost like a plain field,
// so a 2 KB query under the cost limit asked for 4,000 walks. Walks, searches, home feed pages,
// experiment results and analyses, and pin creations now cost what they do, and one request may do
// only a few of each: past that the request is refused whole, before anything runs.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.js';
import { createBoard, createPin, imageSource } from '../support/fixtures.js';
import { codes, gql } from '../../src/graphql/graphql-test-support.js';
import { EXPENSIVE_WORK } from '../../src/graphql/cost.js';

const aliased = (count: number, field: string) => Array.from({ length: count }, (_, i) => `a${i}: ${field}`).join('\n');

describe('what a GraphQL request may cost', () => {
  let t: TestApp;
  let alice: TestUser;
  let pinId: string;
  let boardId: string;

  const walks = () => t.container.relatedPinsParts.metrics.tally.walks;
  const pinCount = async () => (await t.container.db.selectFrom('pins').select(({ fn }) => fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n;

  beforeAll(async () => {
    t = await createTestApp();
    alice = await t.signUp('alice');
    boardId = (await createBoard(t, alice, { name: 'Walks' })).id;
    for (let i = 0; i < 3; i += 1) pinId = (await createPin(t, alice, boardId, { title: `pin ${i}` })).id;
    const graph = t.container.relatedPinsParts.graph;
    await graph.ready();
    // The first build may predate the pins; they reach the graph within one change-log poll (on
    // PostgreSQL that is a real poll, not the same tick), and a pin the graph does not know walks nowhere.
    await vi.waitFor(() => expect(graph.knowsOriginal(pinId)).toBe(true), { timeout: 10_000, interval: 50 });
  });

  afterAll(async () => {
    await t.close();
  });

  /**
   * Sends `query`, expects it refused with `code`, and checks nothing ran: no pin made and, until a
   * home feed is asked for (whose picked-for-you pool walks in the background), no walk.
   */
  let homeFeedAsked = false;
  async function expectRefused(query: string, code: string, variables?: Record<string, unknown>) {
    const walksBefore = walks();
    const pinsBefore = await pinCount();
    const response = await gql(t, alice, query, variables);
    expect({ status: response.status, codes: codes(response) }, JSON.stringify(response.body)).toEqual({ status: 400, codes: [code] });
    expect(response.body).not.toHaveProperty('data');
    if (!homeFeedAsked) expect(walks()).toBe(walksBefore);
    expect(await pinCount()).toBe(pinsBefore);
    return response.errors[0]!.message;
  }

  it('refuses the report\'s 4,000 walks in a 2 KB query under the cost limit', async () => {
    // 16 aliases of the viewer's 250 pins, each with its related pins: 4,000 walks.
    const query = `{ viewer { ${aliased(16, 'pins(first: 250) { edges { node { relatedPins(first: 1) { edges { cursor } } } } }')} } }`;
    expect(Buffer.byteLength(query)).toBeLessThan(2200);
    const message = await expectRefused(query, 'QUERY_TOO_EXPENSIVE');
    expect(message).toBe('The query asks for 4000 related-pins walks; one request may do 3.');
  });

  it(`allows ${EXPENSIVE_WORK.RELATED_PINS_WALK.perRequest} walks in one request and refuses one more`, async () => {
    const field = `relatedPins(pinId: "${pinId}", first: 2) { edges { node { id } } }`;
    const before = walks();
    const allowed = await gql(t, alice, `{ ${aliased(3, field)} }`);
    expect(allowed.errors).toEqual([]);
    expect(walks()).toBeGreaterThan(before);
    await expectRefused(`{ ${aliased(4, field)} }`, 'QUERY_TOO_EXPENSIVE');
    // Under a connection the field runs once per item: first: 4 is four walks.
    await expectRefused(
      `{ board(id: "${boardId}") { pins(first: 4) { edges { node { relatedPins(first: 1) { edges { cursor } } } } } } }`,
      'QUERY_TOO_EXPENSIVE',
    );
    // Through the Node interface and a fragment, the same.
    await expectRefused(
      `{ ${aliased(4, `node(id: "${Buffer.from(`Pin:${pinId}`).toString('base64')}") { ...Related }`)} } fragment Related on Pin { relatedPins { edges { cursor } } }`,
      'QUERY_TOO_EXPENSIVE',
    );
  });

  it('counts a walk at its weight in the cost limit', async () => {
    // Three walks of 250 pins with 31 fields each cost 24,753 as plain connections, under the limit;
    // at their declared weight they cost 27,753.
    const images = ['image150x150', 'image400x300', 'image600x', 'image1200x'].map((size) => `${size} { url width height }`).join(' ');
    const pin = `id entityId createdAt link title description dominantColor altText creativeType boardId isOwner isStandard media { mediaType images { ${images} } }`;
    const message = await expectRefused(
      `{ ${aliased(3, `relatedPins(pinId: "${pinId}", first: 250) { edges { node { ${pin} } } }`)} }`,
      'QUERY_TOO_COMPLEX',
    );
    expect(message).toBe('The query costs 27753; the limit is 25000.');
  });

  it('limits searches, home feed pages, experiment results and analyses per request', async () => {
    await expectRefused(`{ ${aliased(4, 'searchPins(query: "pin") { edges { cursor } }')} }`, 'QUERY_TOO_EXPENSIVE');
    await expectRefused(`{ ${aliased(4, 'searchBoards { edges { cursor } }')} }`, 'QUERY_TOO_EXPENSIVE');
    await expectRefused(`{ ${aliased(2, 'homeFeed(first: 5) { edges { cursor } }')} }`, 'QUERY_TOO_EXPENSIVE');
    await expectRefused(`{ experiments(first: 10) { edges { node { results { srm { pValue } } } } } }`, 'QUERY_TOO_EXPENSIVE');
    const analysis = `analyzeExperiment(input: { metrics: [{ key: "m", type: MEAN, variations: [{ n: 10, sum: 5, sumSquares: 5 }, { n: 10, sum: 6, sumSquares: 6 }] }] }) { srm { pValue } }`;
    await expectRefused(`{ ${aliased(3, analysis)} }`, 'QUERY_TOO_EXPENSIVE');

    homeFeedAsked = true;
    const allowed = await gql(t, alice, `{ ${aliased(3, 'searchPins(query: "pin") { edges { cursor } }')} homeFeed(first: 5) { edges { cursor } } }`);
    expect(allowed.errors).toEqual([]);
  });

  it('creates one pin per request: two createPin mutations are refused and none is made', async () => {
    const source = await imageSource();
    const create = `createPin(input: { boardId: "${boardId}", title: "made twice", mediaSource: { sourceType: "image_base64", contentType: "image/png", data: $data } }) { id }`;
    await expectRefused(`mutation Two($data: String!) { ${aliased(2, create)} }`, 'QUERY_TOO_EXPENSIVE', { data: source.data });
    const one = await gql(t, alice, `mutation One($data: String!) { ${create} }`, { data: source.data });
    expect(one.errors).toEqual([]);
  });
});
