// Finding 14 (GraphQL): a NUL character in a string (written in the document or sent as a variable),
// deeply nested JSON attributes, a `node` id above 64 bits and a subscription answered 500; and every
// refused GraphQL request was logged at error level and counted as a 500 in /metrics while the client
// got a 400 (3,592 phantom 500s after a fuzz run). Each now answers a 4xx with a stable code, and is
// logged and counted as what it is. Run against a real server process to read its logs and /metrics.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, timedFetch, type ServerProcess } from './support/server-process.js';

interface GraphqlAnswer {
  status: number;
  body: { data?: Record<string, unknown> | null; errors?: Array<{ message: string; extensions: { code: string } }> };
}

const DEADLINE_MS = 10_000;

describe('bad GraphQL input against a real server', () => {
  let server: ServerProcess;
  let token: string;
  const statusesSent: number[] = [];

  async function gql(query: string, variables?: unknown, method: 'GET' | 'POST' = 'POST', raw?: string): Promise<GraphqlAnswer> {
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const answer =
      method === 'GET'
        ? await timedFetch(`${server.baseUrl}/graphql?query=${encodeURIComponent(query)}`, DEADLINE_MS, { headers })
        : await timedFetch(`${server.baseUrl}/graphql`, DEADLINE_MS, { method, headers, body: raw ?? JSON.stringify({ query, variables }) });
    statusesSent.push(answer.status);
    return { status: answer.status, body: JSON.parse(answer.body) as GraphqlAnswer['body'] };
  }

  const refusal = (answer: GraphqlAnswer) => ({ status: answer.status, code: answer.body.errors?.[0]?.extensions.code, data: answer.body.data });

  async function boardCount(): Promise<number> {
    const answer = await timedFetch(`${server.baseUrl}/v5/boards?page_size=250`, DEADLINE_MS, { headers: { authorization: `Bearer ${token}` } });
    return (JSON.parse(answer.body) as { items: unknown[] }).items.length;
  }

  beforeAll(async () => {
    server = await startServer();
    const json = { 'content-type': 'application/json' };
    await timedFetch(`${server.baseUrl}/v5/accounts`, DEADLINE_MS, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ username: 'nora', email: 'nora@example.test', password: 'pw-nora-secret' }),
    });
    const issued = await timedFetch(`${server.baseUrl}/v5/oauth/token`, DEADLINE_MS, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=password&username=nora&password=pw-nora-secret',
    });
    token = (JSON.parse(issued.body) as { access_token: string }).access_token;
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('refuses a NUL character in a string literal, a variable or a JSON key, and writes nothing', async () => {
    const before = await boardCount();
    const literal = await gql('mutation { createBoard(input: {name: "a\\u0000b"}) { id } }');
    expect(refusal(literal)).toEqual({ status: 400, code: 'INVALID_PARAMETERS', data: undefined });
    const variable = await gql('mutation M($name: String!) { createBoard(input: {name: $name}) { id } }', { name: 'a\u0000b' });
    expect(refusal(variable)).toEqual({ status: 400, code: 'INVALID_PARAMETERS', data: undefined });
    const search = await gql('query S($q: String!) { searchPins(query: $q) { edges { cursor } } }', { q: '\u0000' });
    expect(refusal(search)).toEqual({ status: 400, code: 'INVALID_PARAMETERS', data: undefined });
    const key = await gql('query A($a: JSON) { experimentAssignments(attributes: $a) { experimentKey } }', { a: { 'x\u0000': 1 } });
    expect(refusal(key)).toEqual({ status: 400, code: 'INVALID_PARAMETERS', data: undefined });
    expect(variable.body.errors?.[0]?.message).toBe('Invalid input: text may not contain NUL (U+0000) characters.');
    expect(await boardCount()).toBe(before);
  });

  it('refuses JSON attributes nested deeper than any input needs, as a variable or in the document', async () => {
    const query = 'query A($a: JSON) { experimentAssignments(attributes: $a) { experimentKey } }';
    // JSON.stringify recurses; the hostile body is written by hand, 20,000 levels deep.
    const deep = `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`;
    const asVariable = await gql(query, undefined, 'POST', `{"query":${JSON.stringify(query)},"variables":{"a":${deep}}}`);
    expect(refusal(asVariable)).toEqual({ status: 400, code: 'INVALID_PARAMETERS', data: undefined });
    const inDocument = await gql(`{ experimentAssignments(attributes: ${'{a: '.repeat(40)}1${'}'.repeat(40)}) { experimentKey } }`);
    expect(refusal(inDocument)).toEqual({ status: 400, code: 'INVALID_PARAMETERS', data: undefined });
    // A few levels are fine.
    const shallow = await gql(query, { a: { country: 'FR', plan: { tier: 'pro' } } });
    expect(shallow.status).toBe(200);
    expect(shallow.body.errors).toBeUndefined();
  });

  it('answers INVALID_ID for a node id above 64 bits, of every node type', async () => {
    for (const type of ['User', 'Board', 'BoardSection', 'Pin']) {
      for (const id of ['9223372036854775808', '9999999999999999999', '99999999999999999999']) {
        const answer = await gql(`{ node(id: "${Buffer.from(`${type}:${id}`).toString('base64')}") { id } }`);
        expect({ type, id, codes: answer.body.errors?.map((error) => error.extensions.code), data: answer.body.data }).toEqual({
          type,
          id,
          codes: ['INVALID_ID'],
          data: { node: null },
        });
      }
    }
  });

  it('refuses a subscription, by POST and by GET', async () => {
    for (const method of ['POST', 'GET'] as const) {
      const answer = await gql('subscription { viewer { user { username } } }', undefined, method);
      expect(refusal(answer)).toEqual({ status: 400, code: 'GRAPHQL_VALIDATION_FAILED', data: undefined });
    }
  });

  it('refuses requests that are not a GraphQL document with a stable code (fuzz findings F4 to F6)', async () => {
    const unknownOperation = await gql('{ __typename }', undefined, 'POST', JSON.stringify({ query: '{ __typename }', operationName: 'Nope' }));
    expect(refusal(unknownOperation)).toEqual({ status: 400, code: 'GRAPHQL_VALIDATION_FAILED', data: undefined });
    expect(unknownOperation.body.errors?.[0]?.message).toBe('Unknown operation named "Nope".');
    const overGet = await timedFetch(`${server.baseUrl}/graphql?query=${encodeURIComponent('{ __typename }')}&operationName=Nope`, DEADLINE_MS);
    statusesSent.push(overGet.status);
    expect(overGet.status).toBe(400);
    for (const query of ['1', '[1]']) {
      const answer = await timedFetch(`${server.baseUrl}/graphql?query=${query}`, DEADLINE_MS);
      statusesSent.push(answer.status);
      expect({ query, status: answer.status, code: (JSON.parse(answer.body) as GraphqlAnswer['body']).errors?.[0]?.extensions.code }).toEqual({
        query,
        status: 400,
        code: 'GRAPHQL_PARSE_FAILED',
      });
    }
    const badVariables = await timedFetch(`${server.baseUrl}/graphql?query=${encodeURIComponent('{ __typename }')}&variables=%3A`, DEADLINE_MS);
    statusesSent.push(badVariables.status);
    expect(badVariables.status).toBe(400);
    expect((JSON.parse(badVariables.body) as GraphqlAnswer['body']).errors?.[0]?.message).toBe('Invalid request: variables and extensions must be JSON.');
    const jsonAsGraphql = await timedFetch(`${server.baseUrl}/graphql`, DEADLINE_MS, {
      method: 'POST',
      headers: { 'content-type': 'application/graphql' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    statusesSent.push(jsonAsGraphql.status);
    expect(jsonAsGraphql.status).toBe(400);
    const astAsQuery = await gql('', undefined, 'POST', JSON.stringify({ query: { kind: 'Document', definitions: [] } }));
    expect(astAsQuery.status).toBe(400);
    const badToken = await timedFetch(`${server.baseUrl}/graphiql`, DEADLINE_MS, { headers: { authorization: 'not-a-bearer-token' } });
    expect(badToken.status).toBeLessThan(500);
  });

  it('logs and counts each refusal as the status it answered, never as a 500', async () => {
    await gql('{ viewer { user { username } ');
    await gql('mutation { createBoard(input: {name: "x"}) { id } }', undefined, 'GET');
    expect(statusesSent).not.toContain(500);

    const metrics = (await timedFetch(`${server.baseUrl}/metrics`, DEADLINE_MS)).body;
    const counted = new Map<string, number>();
    for (const match of metrics.matchAll(/^http_requests_total\{method="(GET|POST)",route="\/graphql",status="(\d+)"\} (\d+)$/gm)) {
      counted.set(match[2]!, (counted.get(match[2]!) ?? 0) + Number(match[3]));
    }
    const sent = new Map<string, number>();
    for (const status of statusesSent) sent.set(String(status), (sent.get(String(status)) ?? 0) + 1);
    expect(Object.fromEntries(counted)).toEqual(Object.fromEntries(sent));

    const errorLines = server.logs.filter((line) => (line.level as number) >= 50);
    expect(errorLines.map((line) => line.msg)).toEqual([]);
  });
});
