// Expensive work is declared next to the field that does it: a field reaching an expensive service
// without @cost(kind: ...) fails when it runs (so its own test fails before any client can send it
// a thousand times), and every run of a declared field is counted against the request's limit.
import { describe, expect, it } from 'vitest';
import { buildSchema, graphql, type GraphQLFieldResolver } from 'graphql/index.js';
import { EXPENSIVE_WORK, WorkMeter, costTypeDefs, meterExpensiveFields, meteredService } from './cost.js';

function schemaWith(search: { run(): string }) {
  const schema = buildSchema(`${costTypeDefs}
    type Query {
      declared: String @cost(weight: 300, kind: SEARCH)
      undeclared: String
      wrongKind: String @cost(weight: 300, kind: HOME_FEED)
    }`);
  const query = schema.getQueryType()!.getFields();
  const resolve: GraphQLFieldResolver<unknown, unknown> = () => search.run();
  for (const name of ['declared', 'undeclared', 'wrongKind']) query[name]!.resolve = resolve;
  meterExpensiveFields(schema, (context) => (context as { work: WorkMeter }).work);
  return schema;
}

describe('declared cost', () => {
  const search = meteredService({ run: () => 'found' }, 'SEARCH', ['run']);
  const schema = schemaWith(search);
  const run = (source: string) => graphql({ schema, source, contextValue: { work: new WorkMeter() } });

  it('lets a field that declares the work do it', async () => {
    expect(await run('{ declared }')).toEqual({ data: { declared: 'found' } });
  });

  it('fails a field that does expensive work without declaring it, or declaring another kind', async () => {
    const undeclared = await run('{ undeclared }');
    expect(undeclared.errors?.[0]?.message).toBe('run does SEARCH work, but the GraphQL field calling it declares no @cost kind');
    const wrongKind = await run('{ wrongKind }');
    expect(wrongKind.errors?.[0]?.message).toBe('run does SEARCH work, but the GraphQL field calling it declares HOME_FEED @cost kind');
  });

  it('counts every run against the request, past what the estimate allows', async () => {
    const limit = EXPENSIVE_WORK.SEARCH.perRequest;
    const aliases = Array.from({ length: limit + 1 }, (_, i) => `a${i}: declared`).join(' ');
    const result = await run(`{ ${aliases} }`);
    expect(result.errors?.map((error) => error.message)).toEqual([`One request may do ${limit} searches.`]);
  });

});
