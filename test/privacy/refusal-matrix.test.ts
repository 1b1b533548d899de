// A refused write leaves no trace. Every write route (each operation of the served OpenAPI document
// that is not a GET) and every GraphQL mutation x every caller who must be refused x board privacy:
// the answer is the refusal (status and v5 code, or the GraphQL error with that code and a null
// field), and nothing a write could touch changed (state-snapshot.ts: every table, the cache, Redis,
// stored files). A POST refused with an Idempotency-Key records that refusal under its key (so a retry
// gets the same answer) and nothing else. A write route or mutation without a case here fails the first
// two tests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { createPin, pngBase64, tokenFor } from '../support/fixtures.js';
import { snapshotState, stateChanges, type StateSnapshot } from '../support/state-snapshot.js';
import { gql } from '../../src/graphql/graphql-test-support.js';
import { PRIVACIES, ROLES, buildPrivacyWorld, type Privacy, type Role } from './privacy-world.js';
import { CALLERS, WRITE_CASES, type Caller, type Refusal, type RefusalWorld, type WriteCase } from './refusal-cases.js';

interface Group {
  spec: WriteCase;
  privacy: Privacy;
  /** The callers who must be refused, with their refusal. */
  refused: Array<{ caller: Caller; refusal: Refusal }>;
}

// One capture per case and privacy (after every refused caller, through both doors): a capture costs
// about six times a request.
const GROUPS: Group[] = WRITE_CASES.flatMap((spec) =>
  (spec.perPrivacy ? PRIVACIES : (['PUBLIC'] as const)).map((privacy) => ({
    spec,
    privacy,
    refused: CALLERS.flatMap((caller) => {
      const refusal = spec.refusal(caller, privacy);
      return refusal ? [{ caller, refusal }] : [];
    }),
  })),
).filter((group) => group.refused.length > 0);

describe('refused writes change nothing', () => {
  let t: TestApp | undefined;
  let w: RefusalWorld;
  /** The state every refusal must leave as it found it (moved on only after a row found a change). */
  let baseline: StateSnapshot;
  let keysSent = 0;

  beforeAll(async () => {
    // No cache entry expires between two captures (state-snapshot.ts).
    t = await createTestApp({ CACHE_TTL_SECONDS: '3600' });
    const world = await buildPrivacyWorld(t);
    const readOnly = await tokenFor(t, world.owner, ['boards:read', 'pins:read', 'user_accounts:read']);
    const ownPin = {} as Record<Caller, string>;
    for (const role of ROLES) {
      if (role === 'anonymous') continue;
      const person = world.personOf[role];
      const existing = Object.entries(ownPin).find(([other]) => world.personOf[other as Role] === person);
      ownPin[role] = existing ? existing[1] : (await createPin(t, person, world.savesBoard[role], { title: `Own pin ${role}` })).id;
    }
    ownPin.anonymous = ownPin.owner;
    ownPin.readOnly = ownPin.owner;
    const admin = await t.signUpAdmin('refusals_admin');
    const created = await t.request({
      method: 'POST',
      url: '/v5/experiments',
      as: admin,
      payload: { key: 'refusals-draft', name: 'Draft', variations: [{ key: 'a', value: 1 }, { key: 'b', value: 2 }] },
    });
    if (created.statusCode !== 201) throw new Error(`experiment: ${created.statusCode} ${created.body}`);
    w = { ...world, callerOf: { ...world.callers, readOnly }, ownPin, experimentKey: 'refusals-draft', png: await pngBase64() };
    // Every caller has made a request before the first capture, so their activity is on record.
    for (const caller of CALLERS) await t.request({ method: 'GET', url: '/v5/user_account', as: w.callerOf[caller]?.token ?? null });
    baseline = await snapshotState(t);
  }, 180_000);
  afterAll(async () => t?.close());

  it('has a case for every write operation of the served OpenAPI document', async () => {
    const doc = (await t!.request({ method: 'GET', url: '/v5/openapi.json' })).json<{ paths: Record<string, Record<string, unknown>> }>();
    const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods)
        .filter((method) => !['get', 'head', 'options', 'parameters'].includes(method))
        .map((method) => `${method.toUpperCase()} ${path}`),
    );
    const covered = new Set(WRITE_CASES.flatMap((spec) => (spec.rest ? [spec.rest.op] : [])));
    expect(operations.filter((op) => !covered.has(op)), 'write operations without a refusal case').toEqual([]);
    expect([...covered].filter((op) => !operations.includes(op)), 'cases naming no operation').toEqual([]);
  });

  it('has a case for every mutation of the served GraphQL schema', async () => {
    const answer = await gql<{ __type: { fields: { name: string }[] } }>(t!, null, '{ __type(name: "Mutation") { fields { name } } }');
    const fields = answer.data!.__type.fields.map((field) => field.name);
    const covered = new Set(WRITE_CASES.flatMap((spec) => (spec.graphql ? [spec.graphql.field] : [])));
    expect(fields.filter((field) => !covered.has(field)), 'mutations without a refusal case').toEqual([]);
    expect([...covered].filter((field) => !fields.includes(field)), 'cases naming no mutation').toEqual([]);
  });

  for (const { spec, privacy, refused } of GROUPS) {
    const doors = [spec.rest?.op, spec.graphql && `mutation ${spec.graphql.field}`].filter(Boolean).join(' and ');
    const where = spec.perPrivacy ? ` on ${privacy}` : '';
    const who = refused.map(({ caller, refusal }) => `${caller} ${refusal.status}${refusal.code === null ? '' : ` (${refusal.code})`}`).join(', ');
    it(`${doors}: ${spec.what}${where}; refused to ${who}; nothing changed`, async () => {
      const wrong: string[] = [];
      for (const { caller, refusal } of refused) {
        const token = w.callerOf[caller]?.token ?? null;
        if (spec.rest) {
          const call = spec.rest.call(w, privacy, caller);
          // A POST is sent a second time with an Idempotency-Key (on PROTECTED boards, where the refusals
          // are of every kind): the key records the refusal, nothing else.
          const keyed = call.method === 'POST' && (!spec.perPrivacy || privacy === 'PROTECTED');
          for (const key of keyed ? [null, `refused-${(keysSent += 1)}`] : [null]) {
            const reply = await t!.request({
              method: call.method,
              url: call.url,
              as: token,
              headers: { ...(call.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...(key ? { 'idempotency-key': key } : {}) },
              ...(call.form ? { payload: new URLSearchParams(call.form).toString() } : call.payload ? { payload: call.payload } : {}),
            });
            const code = reply.body === '' ? null : (reply.json<{ code?: number }>().code ?? null);
            if (reply.statusCode !== refusal.status || code !== refusal.code) wrong.push(`REST${key ? ' keyed' : ''} as ${caller}: ${reply.statusCode} ${reply.body.slice(0, 200)}`);
          }
        }
        if (spec.graphql) {
          const call = spec.graphql.call(w, privacy, caller);
          const answer = await gql(t!, token, call.query, call.variables);
          const codes = answer.errors.map((error) => error.extensions.v5Code);
          const nulled = JSON.stringify(answer.data) === JSON.stringify({ [spec.graphql.field]: null });
          if (!nulled || codes.length !== 1 || codes[0] !== refusal.code) wrong.push(`GraphQL as ${caller}: ${JSON.stringify(answer.body).slice(0, 200)}`);
        }
      }
      const changes = (await changesSinceBaseline()).filter((line) => !line.startsWith('table idempotency_keys:'));
      expect(changes, 'what the refused requests changed').toEqual([]);
      const recorded = await t!.container.db.selectFrom('idempotency_keys').select(['key', 'status_code']).where('key', 'like', 'refused-%').execute();
      expect(recorded.filter((row) => row.status_code === null || row.status_code < 400), 'keys recording anything but a refusal').toEqual([]);
      expect(wrong, 'answers other than the refusal').toEqual([]);
    });
  }

  it('recorded the refusals of keyed POSTs under their keys', async () => {
    const recorded = await t!.container.db.selectFrom('idempotency_keys').select('status_code').where('key', 'like', 'refused-%').execute();
    expect(recorded.length).toBeGreaterThan(0);
    expect(recorded.every((row) => row.status_code !== null && row.status_code >= 400)).toBe(true);
  });

  /** What changed since the last capture; the baseline moves on, so a change is blamed on one case only. */
  async function changesSinceBaseline(): Promise<string[]> {
    const now = await snapshotState(t!);
    const changes = stateChanges(baseline, now);
    baseline = now;
    return changes;
  }
});
