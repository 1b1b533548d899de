// Fuzzes /graphql with requests generated from schema.graphql (the schema the server runs): queries
// and mutations over every root field with random arguments (real ids, bad ids, hostile strings,
// numbers past Int, unknown enum values, deep JSON), inline or as variables, selecting random fields a
// few levels down; hostile documents (garbage, deep nesting, alias and directive floods, fragment
// bombs, subscriptions); over POST, GET, a batch, and content types the endpoint does not take;
// anonymously, with a bad token and as each person of the world. The bar is the REST fuzz's: no 5xx
// and no field failing as INTERNAL, no leak, every error with extensions.code, and /healthz at once.
import fc from 'fast-check';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_FILE } from '../../src/graphql/print-schema.js';
import { checkGraphql } from './support/oracle.js';
import { graphqlCases, loadSchema, printCase, type GraphqlCase } from './support/graphql-requests.js';
import { createWorld, describeFindings, WORLD_TIMEOUT_MS, describeStatuses, fuzzSettings, runCases, type World } from './support/world.js';

const settings = fuzzSettings(1_500);
const FILE = 'test/fuzz/graphql-fuzz.test.ts';

function httpRequest(c: GraphqlCase, query: string, variables: unknown, token: string | null) {
  const auth: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  switch (c.transport) {
    case 'get': {
      const params = new URLSearchParams({ query });
      if (variables !== undefined) params.set('variables', JSON.stringify(variables));
      return { method: 'GET' as const, url: `/graphql?${params.toString()}`, headers: auth };
    }
    case 'post-text':
      return { method: 'POST' as const, url: '/graphql', headers: { ...auth, 'content-type': 'application/graphql' }, payload: query };
    case 'post-form':
      return { method: 'POST' as const, url: '/graphql', headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ query }).toString() };
    case 'post-batch':
      return { method: 'POST' as const, url: '/graphql', headers: { ...auth, 'content-type': 'application/json' }, payload: JSON.stringify([{ query, variables }, { query: '{ viewer { __typename } }' }]) };
    case 'post':
      return { method: 'POST' as const, url: '/graphql', headers: { ...auth, 'content-type': 'application/json' }, payload: JSON.stringify({ query, variables }) };
  }
}

describe(`GraphQL fuzz from schema.graphql (seed ${settings.seed}, ${settings.runs} requests)`, () => {
  let world: World;

  // Building the world (sign-ups, uploads) takes about 15 s on a busy 2-core machine: room to spare.
  beforeAll(async () => {
    world = await createWorld();
  }, WORLD_TIMEOUT_MS);

  afterAll(async () => {
    await world?.close();
  });

  it('answers every generated request without a 5xx, a failed field, a leak or an error without a code, and stays healthy', async () => {
    const schema = loadSchema(fs.readFileSync(SCHEMA_FILE, 'utf8'));
    const cases = fc.sample(graphqlCases(schema), { seed: settings.seed, numRuns: settings.runs });
    const fieldsSent = new Set<string>();
    let data = 0;

    const summary = await runCases<GraphqlCase>(world, cases, async (c) => {
      const { query, variables } = printCase(world.pool, c);
      const request = httpRequest(c, query, variables, world.tokens[c.identity]);
      const reply = await world.t.app.inject(request);
      if (!('text' in c.operation)) for (const field of c.operation.fields) fieldsSent.add(field.name);
      if (reply.statusCode === 200 && /"data":\{"f0":\{/.test(reply.body)) data += 1;
      const sent = `${request.url} ${request.payload ?? ''}`;
      const described = `${request.method} [${c.identity}, ${c.mode}, ${c.transport}] ${query.slice(0, 400)} ${JSON.stringify(variables ?? null).slice(0, 300)}`;
      return { request: described, status: reply.statusCode, body: reply.body, problems: checkGraphql(reply.statusCode, reply.body, sent) };
    });

    console.log(
      `GraphQL fuzz: seed ${settings.seed}, ${summary.requests} requests over ${fieldsSent.size} root fields in ${(summary.ms / 1000).toFixed(1)} s ` +
        `(${Math.round(summary.requests / (summary.ms / 1000))}/s), ${data} answered data; slowest /healthz between batches ${summary.slowestHealthMs.toFixed(1)} ms; statuses ${describeStatuses(summary.statuses)}`,
    );
    expect(describeFindings(summary.findings, `FUZZ_SEED=${settings.seed} FUZZ_RUNS=${settings.runs} npx vitest run ${FILE}`)).toBe('no findings');
    // Every root field was fuzzed, and a fair share of requests got past validation into resolvers.
    const roots = [...Object.keys(schema.getQueryType()!.getFields()), ...Object.keys(schema.getMutationType()!.getFields())];
    expect(roots.filter((name) => !fieldsSent.has(name))).toEqual([]);
    expect(data).toBeGreaterThan(settings.runs / 20);
  }, settings.timeoutFor(600_000));
});
