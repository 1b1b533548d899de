// Fuzzes every operation of the served OpenAPI document (GET /v5/openapi.json) with generated requests:
// valid-ish values drawn from each schema and the world's real ids, and hostile ones (NUL bytes, huge
// and odd unicode strings, numbers past every bound, ids that are not ids, wrong types, deep nesting,
// bodies in the wrong encoding), anonymously, with a bad token, as a stranger, as a collaborator, as
// the owner and as an administrator. The bar: no 5xx, no stack trace or SQL in any answer, every
// refusal a {code, message} body, nothing logged as an error, and /healthz answering at once between
// batches. The seed is printed; FUZZ_SEED, FUZZ_RUNS and FUZZ=long are described in docs/security.md.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRest } from './support/oracle.js';
import { operationsOf, restCases, toHttpRequest, type Operation, type RestCase } from './support/rest-requests.js';
import { createWorld, describeFindings, WORLD_TIMEOUT_MS, describeStatuses, fuzzSettings, runCases, type World } from './support/world.js';

const settings = fuzzSettings(2_500);
const FILE = 'test/fuzz/rest-fuzz.test.ts';

/** Ids the server hands back from creates join the pool, so later requests fuzz what the fuzzer made. */
const CREATED: Record<string, 'board' | 'pin' | 'section'> = {
  'POST /v5/boards': 'board',
  'POST /v5/pins': 'pin',
  'POST /v5/pins/{pin_id}/save': 'pin',
  'POST /v5/boards/{board_id}/sections': 'section',
};

describe(`REST fuzz from /v5/openapi.json (seed ${settings.seed}, ${settings.runs} requests)`, () => {
  let world: World;

  // Building the world (sign-ups, uploads) takes about 15 s on a busy 2-core machine: room to spare.
  beforeAll(async () => {
    world = await createWorld();
  }, WORLD_TIMEOUT_MS);

  afterAll(async () => {
    await world?.close();
  });

  it('answers every generated request without a 5xx, a leak or a shapeless refusal, and stays healthy', async () => {
    const document = (await world.t.request({ method: 'GET', url: '/v5/openapi.json' })).json<unknown>();
    const operations = operationsOf(document);
    expect(operations.length).toBeGreaterThan(40);
    const byName = new Map<string, Operation>(operations.map((operation) => [`${operation.method} ${operation.template}`, operation]));
    const cases = fc.sample(restCases(operations), { seed: settings.seed, numRuns: settings.runs });
    const sent = new Map<string, number>();

    const summary = await runCases<RestCase>(world, cases, async (c) => {
      const operation = byName.get(c.operation)!;
      const request = toHttpRequest(world.pool, world.tokens, c, operation);
      const reply = await world.t.app.inject({ method: request.method as 'GET', url: request.url, headers: request.headers, payload: request.payload });
      sent.set(c.operation, (sent.get(c.operation) ?? 0) + 1);
      const kind = CREATED[c.operation];
      if (kind && reply.statusCode === 201) world.pool.add(kind, reply.json<{ id: string }>().id);
      const bookmark = reply.statusCode === 200 && reply.body.includes('"bookmark":"') ? /"bookmark":"([^"]+)"/.exec(reply.body)?.[1] : undefined;
      world.pool.add('bookmark', bookmark);
      const described = `${request.method} ${request.url} [${c.identity}, ${c.mode}, ${c.encoding}] ${JSON.stringify({ ...c.headers, 'content-type': request.headers['content-type'] }).slice(0, 300)} ${(request.payload ?? '').slice(0, 300)}`;
      return { request: described, status: reply.statusCode, body: reply.body, problems: checkRest(reply.statusCode, reply.body, `${request.url} ${request.payload ?? ''}`) };
    });

    console.log(
      `REST fuzz: seed ${settings.seed}, ${summary.requests} requests over ${operations.length} operations in ${(summary.ms / 1000).toFixed(1)} s ` +
        `(${Math.round(summary.requests / (summary.ms / 1000))}/s); slowest /healthz between batches ${summary.slowestHealthMs.toFixed(1)} ms; statuses ${describeStatuses(summary.statuses)}`,
    );
    expect(describeFindings(summary.findings, `FUZZ_SEED=${settings.seed} FUZZ_RUNS=${settings.runs} npx vitest run ${FILE}`)).toBe('no findings');
    // Every operation was fuzzed, a run does not pass by sending nothing.
    expect(operations.filter((operation) => !sent.has(`${operation.method} ${operation.template}`)).map((o) => o.template)).toEqual([]);
  }, settings.timeoutFor(600_000));
});
