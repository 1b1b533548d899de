// Typeahead (GET /v5/terms/suggested, GraphQL suggestedTerms) and related terms (GET /v5/terms/related):
// the words of public pins and boards only, a new name suggested at once, a hidden board's never.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../../test/support/test-app.js';
import { assertMatchesV5 } from '../../test/support/contract.js';
import { createBoard, createPin } from '../../test/support/fixtures.js';
import { gql } from '../graphql/graphql-test-support.js';

describe('typeahead and related terms', () => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    alice = await t.signUp('alice');
    bob = await t.signUp('bob');
    const dinner = await createBoard(t, bob, { name: 'Dinner ideas' });
    const baking = await createBoard(t, bob, { name: 'Baking' });
    const secret = await createBoard(t, bob, { name: 'Dinner party secrets', privacy: 'SECRET' });
    const protectedBoard = await createBoard(t, alice, { name: 'Dinner with the in-laws', privacy: 'PROTECTED' });
    await createBoard(t, alice, { name: 'Dinner ideas' });
    for (const title of ['Easy pasta', 'Easy pasta', 'Easy pasta bake', 'Dinner rolls']) await createPin(t, bob, dinner.id, { title });
    await createPin(t, bob, baking.id, { title: 'Easy pasta bake' });
    await createPin(t, bob, baking.id, { title: 'Sourdough pasta' });
    await createPin(t, bob, secret.id, { title: 'Easy pasta surprise' });
    await createPin(t, alice, protectedBoard.id, { title: 'Easy pasta for the in-laws' });
  }, 60_000);
  afterAll(async () => t.close());

  async function suggested(as: TestUser, term: string, limit?: number): Promise<string[]> {
    const params = new URLSearchParams({ term, ...(limit ? { limit: String(limit) } : {}) });
    const reply = await t.request({ method: 'GET', url: `/v5/terms/suggested?${params.toString()}`, as });
    assertMatchesV5('GET', '/terms/suggested', reply.statusCode, reply.json());
    expect(reply.statusCode, reply.body).toBe(200);
    return reply.json<string[]>();
  }

  it('suggests what public pins are titled and public boards are named, beginning with the term, most used first', async () => {
    expect(await suggested(alice, 'easy', 10)).toEqual(['easy pasta', 'easy pasta bake']);
    // Two public boards named "Dinner ideas" and one pin titled "Dinner rolls".
    expect(await suggested(bob, 'DINNER', 10)).toEqual(['dinner ideas', 'dinner rolls']);
    // Beginning with the term: "Sourdough pasta" is not a suggestion for "pasta".
    expect(await suggested(alice, 'pasta')).toEqual([]);
    expect(await suggested(alice, 'e')).toEqual(['easy pasta', 'easy pasta bake']);
    expect(await suggested(alice, 'easy', 1)).toEqual(['easy pasta']);
    // LIKE's wildcards are the letters they are.
    expect(await suggested(alice, '%')).toEqual([]);
    expect(await suggested(alice, 'e_sy')).toEqual([]);
  });

  it("never suggests a PROTECTED or SECRET board's name or its pins' titles, not even to their owner", async () => {
    for (const who of [alice, bob]) {
      const all = [...(await suggested(who, 'easy pasta', 10)), ...(await suggested(who, 'dinner', 10))];
      expect(all.filter((term) => /secret|surprise|in-laws/.test(term))).toEqual([]);
    }
  });

  it('suggests a new title at once and drops the words of a board the moment it turns SECRET', async () => {
    const board = await createBoard(t, bob, { name: 'Zucchini garden' });
    await createPin(t, bob, board.id, { title: 'Zucchini fritters' });
    expect(await suggested(alice, 'zucc', 10)).toEqual(['zucchini fritters', 'zucchini garden']);
    const turned = await t.request({ method: 'PATCH', url: `/v5/boards/${board.id}`, payload: { privacy: 'SECRET' }, as: bob });
    expect(turned.statusCode).toBe(200);
    expect(await suggested(alice, 'zucc', 10)).toEqual([]);
    expect(await suggested(bob, 'zucc', 10)).toEqual([]);
  });

  it('refuses bad input with a clear 400 and a stable code', async () => {
    const cases: Array<[string, number, RegExp]> = [
      ['term=%20', 4161, /at least one word/],
      ['', 1, /term/],
      ['term=easy&limit=11', 1, /limit/],
      ['term=easy&limit=0', 1, /limit/],
      [`term=${'x'.repeat(101)}`, 1, /term/],
    ];
    for (const [query, code, message] of cases) {
      const reply = await t.request({ method: 'GET', url: `/v5/terms/suggested?${query}`, as: alice });
      expect(reply.statusCode, query).toBe(400);
      const body = reply.json<{ code: number; message: string }>();
      expect(body.code, query).toBe(code);
      expect(body.message, query).toMatch(message);
    }
    expect((await t.request({ method: 'GET', url: '/v5/terms/suggested?term=easy' })).statusCode).toBe(401);
  });

  it('GraphQL suggestedTerms answers what REST answers', async () => {
    const reply = await gql<{ suggestedTerms: string[] }>(t, alice, '{ suggestedTerms(term: "easy", limit: 10) }');
    expect(reply.errors).toEqual([]);
    expect(reply.data!.suggestedTerms).toEqual(await suggested(alice, 'easy', 10));
  });

  async function related(as: TestUser, query: string) {
    const reply = await t.request({ method: 'GET', url: `/v5/terms/related?${query}`, as });
    assertMatchesV5('GET', '/terms/related', reply.statusCode, reply.json());
    return reply;
  }

  it('relates a term to the public boards and titles it is found with, for each term given, repeated or comma-separated', async () => {
    const expected = {
      id: 'pasta',
      related_term_count: 7,
      related_terms_list: [
        // "Easy pasta" twice on Dinner ideas; "Easy pasta bake" on Dinner ideas and Baking; "Sourdough pasta" on Baking.
        { term: 'pasta', related_terms: ['dinner ideas', 'baking', 'easy pasta', 'easy pasta bake', 'sourdough pasta'] },
        { term: 'rolls', related_terms: ['dinner ideas', 'dinner rolls'] },
      ],
    };
    for (const query of ['terms=pasta&terms=rolls', 'terms=pasta,rolls', 'terms=pasta,%20rolls,pasta']) {
      const reply = await related(alice, query);
      expect(reply.statusCode, reply.body).toBe(200);
      expect(reply.json(), query).toEqual(expected);
    }
    const surprise = await related(bob, 'terms=surprise');
    expect(surprise.json()).toEqual({ id: 'surprise', related_term_count: 0, related_terms_list: [{ term: 'surprise', related_terms: [] }] });
  });

  it('refuses related terms without terms, with blank ones or with more than 10', async () => {
    const cases: Array<[string, number]> = [
      ['', 1],
      ['terms=%20', 4161],
      ['terms=,,', 4161],
      [`terms=${Array.from({ length: 11 }, (_, i) => `t${i}`).join(',')}`, 1],
    ];
    for (const [query, code] of cases) {
      const reply = await related(alice, query);
      expect(reply.statusCode, query).toBe(400);
      expect(reply.json<{ code: number }>().code, query).toBe(code);
    }
  });
});
