// Finding 1: one anonymous GraphQL request of 1.6 KB held the event loop for good. The depth rule
// walked a named fragment again at every spread, so a chain of fragments that each spread the next
// one twice cost 2^n. Every hostile document below must be refused (or answered) with a stable code
// well within a deadline, by a real server process, while /healthz keeps answering.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'graphql';
import { slowestHealthProbe, startServer, timedFetch, type ServerProcess } from './support/server-process.js';

/** `query Q { ...F0 } fragment F0 on Query { ...F1 ...F1 } ... fragment Fn on Query { __typename }`. */
export function doublingChain(n: number, spreads = 2, extra = ''): string {
  const lines = ['query Q { ...F0 }'];
  for (let i = 0; i < n; i += 1) lines.push(`fragment F${i} on Query { ${extra.replace('#', String(i))}${` ...F${i + 1}`.repeat(spreads)} }`);
  lines.push(`fragment F${n} on Query { __typename }`);
  return lines.join('\n');
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Pins whose board's pins nest `levels` times: 4 levels of selections each. */
const nestedPins = (levels: number): string =>
  levels === 0 ? 'id' : `pins(first: 1) { edges { node { board { ${nestedPins(levels - 1)} } } } }`;

interface Attack {
  name: string;
  /** The answer expected: a status and the first error's code (null: any answer under 500). */
  expected: { status: number; code: string } | null;
  request: (baseUrl: string) => { url: string; init?: RequestInit };
}

const get = (query: string, variables?: unknown) => (baseUrl: string) => ({
  url: `${baseUrl}/graphql?query=${encodeURIComponent(query)}${variables === undefined ? '' : `&variables=${encodeURIComponent(JSON.stringify(variables))}`}`,
});
const post = (body: unknown) => (baseUrl: string) => ({
  url: `${baseUrl}/graphql`,
  init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
});

const ATTACKS: Attack[] = [
  {
    name: `the 2^40 fragment chain of the report (${Buffer.byteLength(doublingChain(40))} bytes, GET, no token)`,
    expected: { status: 400, code: 'QUERY_TOO_MANY_FIELDS' },
    request: get(doublingChain(40)),
  },
  {
    name: 'the same chain by POST',
    expected: { status: 400, code: 'QUERY_TOO_MANY_FIELDS' },
    request: post({ query: doublingChain(40) }),
  },
  {
    name: 'a 3^30 chain whose fragments also select aliased fields',
    expected: { status: 400, code: 'QUERY_TOO_MANY_FIELDS' },
    request: get(doublingChain(30, 3, 'a#: __typename')),
  },
  {
    name: 'a doubling chain that nests deeper at every step',
    expected: { status: 400, code: 'QUERY_TOO_MANY_FIELDS' },
    request: get(
      [
        'query Q { board(id: "1") { ...F0 } }',
        ...range(30).map((i) => `fragment F${i} on Board { pins(first: 1) { edges { node { board { ...F${i + 1} ...F${i + 1} } } } } }`),
        'fragment F30 on Board { id }',
      ].join('\n'),
    ),
  },
  {
    name: 'selections nested 120 levels deep through fragments spread once',
    expected: { status: 400, code: 'QUERY_TOO_DEEP' },
    request: get(
      [
        'query Q { board(id: "1") { ...F0 } }',
        ...range(30).map((i) => `fragment F${i} on Board { pins(first: 1) { edges { node { board { ...F${i + 1} } } } } }`),
        'fragment F30 on Board { id }',
      ].join('\n'),
    ),
  },
  {
    name: 'selections nested 120 levels deep in one operation',
    expected: { status: 400, code: 'QUERY_TOO_DEEP' },
    request: post({ query: `{ board(id: "1") { ${nestedPins(30)} } }` }),
  },
  {
    name: '250 aliases of one field',
    expected: { status: 400, code: 'QUERY_TOO_MANY_ALIASES' },
    request: post({ query: `{ ${range(250).map((i) => `a${i}: __typename`).join(' ')} }` }),
  },
  {
    name: '120 directives on one field',
    expected: { status: 400, code: 'QUERY_TOO_MANY_DIRECTIVES' },
    request: post({ query: `{ __typename ${'@skip(if: false) '.repeat(120)}}` }),
  },
  {
    name: '600 operations in one document',
    expected: { status: 400, code: 'QUERY_TOO_MANY_TOKENS' },
    request: post({ query: range(600).map((i) => `query Q${i} { __typename }`).join('\n'), operationName: 'Q0' }),
  },
  {
    name: '1,000 variable definitions',
    expected: { status: 400, code: 'QUERY_TOO_MANY_TOKENS' },
    request: post({ query: `query Q(${range(1000).map((i) => `$v${i}: Int`).join(', ')}) { __typename }` }),
  },
  {
    name: 'a 16 KB document of one repeated field (graphql-js merges overlapping fields pairwise)',
    expected: { status: 400, code: 'QUERY_TOO_MANY_TOKENS' },
    request: post({ query: `{ ${'board(id: "1") { id } '.repeat(700)}}` }),
  },
  {
    name: '50 copies of one field with a sub-selection, under every document limit',
    expected: null,
    request: post({ query: `{ ${'board(id: "1") { owner { username } pins { edges { cursor } } } '.repeat(50)}}` }),
  },
  {
    name: 'introspection that nests type fields ten times',
    expected: { status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
    request: get('{ __schema { types { fields { type { fields { type { fields { type { fields { type { fields { name } } } } } } } } } } } }'),
  },
  {
    name: 'a variable holding a list of 100,000 items',
    expected: null,
    request: post({
      query: 'query Q($a: JSON) { experimentAssignments(attributes: $a) { experimentKey } }',
      variables: { a: { list: range(100_000) } },
    }),
  },
  {
    name: 'a document sent as a JSON syntax tree instead of GraphQL text',
    expected: { status: 400, code: 'GRAPHQL_PARSE_FAILED' },
    request: get(JSON.stringify(parse('{ __typename }', { noLocation: true }))),
  },
];

// Generous for a loaded 2-core machine; a refusal takes milliseconds (docs/security.md#graphql).
const DEADLINE_MS = 5000;
const HEALTHY_MS = 1500;

describe('hostile GraphQL documents against a real server', () => {
  let server: ServerProcess;

  beforeAll(async () => {
    server = await startServer();
    // Warm up (first requests compile code paths), so the probes measure the attacks alone.
    for (let i = 0; i < 3; i += 1) {
      await timedFetch(`${server.baseUrl}/healthz`, DEADLINE_MS);
      await timedFetch(`${server.baseUrl}/graphql?query=${encodeURIComponent('{ __typename }')}`, DEADLINE_MS);
    }
  });

  afterAll(async () => {
    await server?.stop();
  });

  for (const attack of ATTACKS) {
    it(`answers ${attack.name} in time, and /healthz keeps answering`, async () => {
      const { url, init } = attack.request(server.baseUrl);
      const answer = timedFetch(url, DEADLINE_MS, init);
      const slowestHealth = await slowestHealthProbe(server.baseUrl, answer);
      const { status, body } = await answer;
      if (attack.expected) {
        expect({ status, code: (JSON.parse(body) as { errors?: Array<{ extensions?: { code?: string } }> }).errors?.[0]?.extensions?.code }).toEqual(
          attack.expected,
        );
        expect(JSON.parse(body)).not.toHaveProperty('data');
      } else {
        expect(status).toBeLessThan(500);
      }
      expect(slowestHealth).toBeLessThan(HEALTHY_MS);
    });
  }
});
