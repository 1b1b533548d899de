// The GraphQL endpoint over HTTP: limits (depth, cost, first, query size), bad documents and
// variables, persisted queries, GET, media types, GraphiQL and authentication. A refused document
// answers with a stable code, no `data`, and runs nothing: not even its mutation.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getIntrospectionQuery } from 'graphql';
import { createTestApp, type TestApp, type TestUser } from '../../test/support/test-app.js';
import { codes, gql } from './graphql-test-support.js';
import { MAX_QUERY_BYTES } from './document-limits.js';

describe('GraphQL over HTTP', () => {
  let t: TestApp;
  let alice: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    alice = await t.signUp('alice');
  });

  afterAll(async () => {
    await t.close();
  });

  async function boardsNamed(name: string): Promise<number> {
    const rows = await t.container.db.selectFrom('boards').select('id').where('name', '=', name).execute();
    return rows.length;
  }

  const nested = (depth: number): string =>
    depth === 0 ? 'id' : `pins(first: 2) { edges { node { board { ${nested(depth - 1)} } } } }`;

  const refused: Array<{ name: string; code: string; status: number; query: string; variables?: Record<string, unknown> }> = [
    {
      name: 'a syntax error',
      code: 'GRAPHQL_PARSE_FAILED',
      status: 400,
      query: 'mutation { createBoard(input: {name: "Refused"}) { id }',
    },
    {
      name: 'an unknown field',
      code: 'GRAPHQL_VALIDATION_FAILED',
      status: 400,
      query: 'mutation { createBoard(input: {name: "Refused"}) { id colour } }',
    },
    {
      name: 'a variable of the wrong type',
      code: 'GRAPHQL_VALIDATION_FAILED',
      status: 400,
      query: 'mutation Create($name: String!) { createBoard(input: {name: $name}) { id } }',
      variables: { name: 5 },
    },
    {
      name: 'a missing required variable',
      code: 'GRAPHQL_VALIDATION_FAILED',
      status: 400,
      query: 'mutation Create($name: String!) { createBoard(input: {name: $name}) { id } }',
    },
    {
      name: 'a query nested deeper than the limit',
      code: 'QUERY_TOO_DEEP',
      status: 400,
      query: `mutation { createBoard(input: {name: "Refused"}) { ${nested(3)} } }`,
    },
    {
      name: 'a query whose connections multiply past the cost limit',
      code: 'QUERY_TOO_COMPLEX',
      status: 400,
      query: `mutation { createBoard(input: {name: "Refused"}) {
        pins(first: 250) { edges { node { board { pins(first: 250) { edges { node { id title } } } } } } } } }`,
    },
    {
      name: 'first: 251',
      code: 'INVALID_PARAMETERS',
      status: 400,
      query: 'mutation { createBoard(input: {name: "Refused"}) { pins(first: 251) { edges { cursor } } } }',
    },
    {
      name: 'first: 251 given as a variable',
      code: 'INVALID_PARAMETERS',
      status: 400,
      query: 'mutation Create($n: Int) { createBoard(input: {name: "Refused"}) { pins(first: $n) { edges { cursor } } } }',
      variables: { n: 251 },
    },
    {
      name: 'first: 0',
      code: 'INVALID_PARAMETERS',
      status: 400,
      query: 'mutation { createBoard(input: {name: "Refused"}) { pins(first: 0) { edges { cursor } } } }',
    },
    {
      name: 'query text over the size limit',
      code: 'QUERY_TOO_LARGE',
      status: 413,
      query: `mutation { createBoard(input: {name: "Refused"}) { id } }\n#${'x'.repeat(MAX_QUERY_BYTES)}`,
    },
  ];

  for (const { name, code, status, query, variables } of refused) {
    it(`refuses ${name} with ${code} and runs none of it`, async () => {
      const response = await gql(t, alice, query, variables);
      expect(response.status, JSON.stringify(response.body)).toBe(status);
      expect(codes(response)).toEqual([code]);
      expect(response.errors[0]?.extensions.v5Code).toEqual(expect.any(Number));
      expect(response.body).not.toHaveProperty('data');
      expect(await boardsNamed('Refused')).toBe(0);
    });
  }

  it('refuses an operationName the document does not define, and runs nothing', async () => {
    const document = 'mutation A { createBoard(input: {name: "Refused"}) { id } } mutation B { createBoard(input: {name: "Refused"}) { id } }';
    for (const operationName of ['C', undefined]) {
      const response = await gql(t, alice, document, undefined, { operationName });
      expect(response.status).toBe(400);
      expect(codes(response)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    }
    expect(await boardsNamed('Refused')).toBe(0);
  });

  it('runs a document within every limit (the same mutation, accepted)', async () => {
    const response = await gql(t, alice, `mutation { createBoard(input: {name: "Accepted"}) { ${nested(2)} } }`);
    expect(response.errors).toEqual([]);
    expect(response.status).toBe(200);
    expect(await boardsNamed('Accepted')).toBe(1);
  });

  it('refuses a body that is not a GraphQL request with INVALID_PARAMETERS', async () => {
    const notJson = await t.request({ method: 'POST', url: '/graphql', as: alice, headers: { 'content-type': 'application/json' }, payload: '{"query":' });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json<{ errors: Array<{ extensions: { code: string } }> }>().errors[0]?.extensions.code).toBe('INVALID_PARAMETERS');
    const noQuery = await gql(t, alice, undefined as unknown as string);
    expect(noQuery.status).toBe(400);
    expect(codes(noQuery)).toEqual(['INVALID_PARAMETERS']);
    const wrongType = await t.request({ method: 'POST', url: '/graphql', as: alice, payload: { query: 42 } });
    expect(wrongType.statusCode).toBe(400);
  });

  describe('persisted queries (Apollo APQ)', () => {
    const query = '{ viewer { user { username } } }';
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    const persisted = (hash: string) => ({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });

    it('answers an unknown hash with PERSISTED_QUERY_NOT_FOUND, then runs it by hash once registered', async () => {
      const unknown = await gql(t, alice, undefined as unknown as string, undefined, persisted(sha256Hash));
      expect(unknown.status).toBe(400);
      expect(codes(unknown)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
      expect(unknown.errors[0]?.message).toBe('PersistedQueryNotFound');

      const registered = await gql(t, alice, query, undefined, persisted(sha256Hash));
      expect(registered.data).toEqual({ viewer: { user: { username: 'alice' } } });

      const byHash = await gql(t, alice, undefined as unknown as string, undefined, persisted(sha256Hash));
      expect(byHash.status).toBe(200);
      expect(byHash.data).toEqual({ viewer: { user: { username: 'alice' } } });

      const extensions = encodeURIComponent(JSON.stringify(persisted(sha256Hash).extensions));
      const overGet = await t.request({ method: 'GET', url: `/graphql?extensions=${extensions}`, as: alice });
      expect(overGet.json()).toEqual({ data: { viewer: { user: { username: 'alice' } } } });
    });

    it('refuses a query whose hash does not match, and other protocol versions', async () => {
      const mismatch = await gql(t, alice, '{ viewer { user { pinCount } } }', undefined, persisted(sha256Hash));
      expect(codes(mismatch)).toEqual(['PERSISTED_QUERY_HASH_MISMATCH']);
      const version2 = await gql(t, alice, undefined as unknown as string, undefined, {
        extensions: { persistedQuery: { version: 2, sha256Hash } },
      });
      expect(codes(version2)).toEqual(['PERSISTED_QUERY_NOT_SUPPORTED']);
    });
  });

  it('serves queries over GET, but not mutations (405, nothing written)', async () => {
    const query = encodeURIComponent('query Me($x: Int) { viewer { user { username } boards(first: $x) { edges { cursor } } } }');
    const get = await t.request({ method: 'GET', url: `/graphql?query=${query}&variables=${encodeURIComponent('{"x":1}')}`, as: alice });
    expect(get.statusCode, get.body).toBe(200);
    expect(get.json()).toMatchObject({ data: { viewer: { user: { username: 'alice' } } } });
    const mutation = encodeURIComponent('mutation { createBoard(input: {name: "Over GET"}) { id } }');
    const refused = await t.request({ method: 'GET', url: `/graphql?query=${mutation}`, as: alice });
    expect(refused.statusCode).toBe(405);
    expect(refused.json<{ errors: Array<{ extensions: { code: string } }> }>().errors[0]?.extensions.code).toBe('METHOD_NOT_ALLOWED');
    expect(await boardsNamed('Over GET')).toBe(0);
  });

  it('refuses GET variables that are JSON but not an object with 400, not 500', async () => {
    const query = encodeURIComponent('query Q($q: String) { searchBoards(query: $q) { edges { cursor } } }');
    for (const variables of ['false', '1', '"x"', '[1]']) {
      const refused = await t.request({ method: 'GET', url: `/graphql?query=${query}&variables=${encodeURIComponent(variables)}`, as: alice });
      expect({ variables, status: refused.statusCode, codes: codes(refused.json()) }).toEqual({ variables, status: 400, codes: ['INVALID_PARAMETERS'] });
    }
  });

  it('answers application/graphql-response+json to clients that prefer it, application/json otherwise', async () => {
    const send = (accept?: string) =>
      t.request({
        method: 'POST',
        url: '/graphql',
        as: alice,
        headers: accept ? { accept } : {},
        payload: { query: '{ viewer { user { username } } }' },
      });
    expect((await send('application/graphql-response+json, application/json;q=0.9')).headers['content-type']).toBe(
      'application/graphql-response+json; charset=utf-8',
    );
    expect((await send('application/json')).headers['content-type']).toBe('application/json; charset=utf-8');
    expect((await send()).headers['content-type']).toBe('application/json; charset=utf-8');
    const refused = await t.request({
      method: 'POST',
      url: '/graphql',
      as: alice,
      headers: { accept: 'application/graphql-response+json' },
      payload: { query: '{ viewer { nope } }' },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.headers['content-type']).toBe('application/graphql-response+json; charset=utf-8');
  });

  it('sends a browser asking for /graphql to GraphiQL', async () => {
    const page = await t.request({ method: 'GET', url: '/graphql', headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(page.statusCode).toBe(302);
    expect(page.headers.location).toBe('/graphiql');
    const graphiql = await t.request({ method: 'GET', url: '/graphiql' });
    expect(graphiql.statusCode).toBe(200);
    expect(graphiql.headers['content-type']).toContain('text/html');
  });

  it('allows introspection, also without a token', async () => {
    const response = await gql<{ __schema: { types: Array<{ name: string }> } }>(t, null, getIntrospectionQuery());
    expect(response.status).toBe(200);
    expect(response.data?.__schema.types.map((type) => type.name)).toEqual(expect.arrayContaining(['Pin', 'Board', 'Node']));
  });

  it('authenticates like REST: a bad token is 401, no token or a missing scope fails the field', async () => {
    const badToken = await gql(t, 'not-a-token', '{ viewer { user { username } } }');
    expect(badToken.status).toBe(401);
    expect(codes(badToken)).toEqual(['AUTHENTICATION_FAILED']);

    const anonymous = await gql(t, null, '{ viewer { user { username } } }');
    expect(anonymous.status).toBe(200);
    expect(anonymous.data).toEqual({ viewer: null });
    expect(codes(anonymous)).toEqual(['AUTHENTICATION_FAILED']);

    const boardsOnly = await t.signUp('boardsonly', 'boards:read');
    const pinless = await gql(t, boardsOnly, '{ viewer { boards { edges { cursor } } pins { edges { cursor } } user { username } } }');
    expect(pinless.data).toEqual({ viewer: { boards: { edges: [] }, pins: null, user: null } });
    expect(codes(pinless).sort()).toEqual(['MISSING_SCOPE', 'MISSING_SCOPE']);
    expect(pinless.errors.find((error) => error.path?.includes('pins'))?.extensions.v5Code).toBe(3);
  });

  it('answers a node id that is not a global id with INVALID_ID', async () => {
    const response = await gql(t, alice, '{ node(id: "nonsense") { id } }');
    expect(response.data).toEqual({ node: null });
    expect(codes(response)).toEqual(['INVALID_ID']);
  });
});
