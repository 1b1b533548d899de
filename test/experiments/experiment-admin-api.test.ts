// The experiment admin API (/v5/experiments): only administrators manage definitions, with a token
// holding experiments:admin (is_admin, which `npm run cli -- admin grant|revoke` sets, applies at once
// to tokens already issued); a definition is checked before anything is written; the lifecycle draft -> running ->
// stopped, archiving, optimistic versions and namespace exclusivity behave as documented.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestUser } from '../support/test-app.js';
import { createExperiment, createExperimentWorld, expectStatus, type ExperimentWorld } from './experiment-test-support.js';

let world: ExperimentWorld;
let pinner: TestUser;

beforeAll(async () => {
  world = await createExperimentWorld();
  pinner = await world.t.signUp('pinner');
});
afterAll(async () => world.t.close());

const twoWay = (key: string, extra: Record<string, unknown> = {}) => ({
  key,
  name: `Experiment ${key}`,
  variations: [
    { key: 'control', value: 0.3 },
    { key: 'treatment', value: 0.5 },
  ],
  ...extra,
});

async function post(as: TestUser, url: string, payload?: unknown) {
  return world.t.request({ method: 'POST', url, as, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
}

describe('who may manage experiments', () => {
  it('refuses tokens without experiments:admin with 403 code 3, and anonymous callers with 401', async () => {
    for (const res of [
      await post(pinner, '/v5/experiments', twoWay('not-mine')),
      await world.t.request({ method: 'GET', url: '/v5/experiments', as: pinner }),
      await world.t.request({ method: 'GET', url: '/v5/experiments/not-mine/results', as: pinner }),
    ]) {
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ code: 3 });
    }
    const anonymous = await world.t.request({ method: 'GET', url: '/v5/experiments', as: null });
    expect(anonymous.statusCode).toBe(401);
  });

  it('lets an administrator manage them', async () => {
    const created = await createExperiment(world, twoWay('first-one'), { start: false });
    expect(created).toMatchObject({ key: 'first-one', status: 'draft', weights: [0.5, 0.5], coverage: 1, hash_attribute: 'id', seed: 'first-one', hash_version: 2, version: 1 });
  });

  it('applies an admin grant and revoke (what the CLI writes) at once, to a token issued before', async () => {
    const signedUp = await world.t.signUp('ada');
    await world.t.container.repositories.accounts.setAdmin(signedUp.id, true);
    const ada = { ...signedUp, token: (await world.t.container.services.tokens.issueFor(signedUp.id, ['experiments:admin'])).access_token };
    await world.t.container.repositories.accounts.setAdmin(ada.id, false);
    const refused = await post(ada, '/v5/experiments', twoWay('ada-exp'));
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 29 });

    await world.t.container.repositories.accounts.setAdmin(ada.id, true);
    expect(expectStatus(await post(ada, '/v5/experiments', twoWay('ada-exp')), 201).json()).toMatchObject({ key: 'ada-exp' });

    await world.t.container.repositories.accounts.setAdmin(ada.id, false);
    expect((await world.t.request({ method: 'GET', url: '/v5/experiments/ada-exp', as: ada })).statusCode).toBe(403);
  });
});

describe('definitions', () => {
  it('refuses a definition that breaks a rule, naming it, and writes nothing', async () => {
    const cases: Array<[Record<string, unknown>, number, RegExp]> = [
      [twoWay('bad-weights', { weights: [0.5, 0.6] }), 4201, /weights must add up to 1/],
      [twoWay('bad-weight-count', { weights: [1] }), 1, /weights/],
      [twoWay('bad-metric', { metrics: ['saves_per_user', 'happiness'] }), 4201, /metrics\[1\] "happiness" is not a known metric/],
      [twoWay('bad-condition', { condition: { country: { $regex: '(' } } }), 4201, /not a valid regular expression/],
      [twoWay('bad-operator', { condition: { age: { $between: [1, 2] } } }), 4201, /not a known operator/],
      [twoWay('bad-forced', { forced_variations: { '123': 5 } }), 4201, /forced_variations\["123"\] is 5/],
      [twoWay('evaluate'), 4201, /reserved/],
      [twoWay('Bad Key'), 1, /key/],
      [{ ...twoWay('dup-variations'), variations: [{ key: 'a', value: 1 }, { key: 'a', value: 2 }] }, 4201, /used twice/],
      [twoWay('own-holdout', { holdout: { experiment_key: 'own-holdout' } }), 4201, /its own holdout/],
      [twoWay('missing-holdout', { holdout: { experiment_key: 'nope' } }), 4201, /does not exist/],
    ];
    for (const [body, code, message] of cases) {
      const res = await post(world.admin, '/v5/experiments', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json<{ code: number }>().code, res.body).toBe(code);
      expect(res.json<{ message: string }>().message).toMatch(message);
      expect((await world.t.request({ method: 'GET', url: `/v5/experiments/${String(body.key)}`, as: world.admin })).statusCode).not.toBe(200);
    }
  });

  it('refuses a key in use with 409 code 4202', async () => {
    await createExperiment(world, twoWay('taken'), { start: false });
    const again = await post(world.admin, '/v5/experiments', twoWay('taken'));
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 4202 });
  });

  it('updates with an optimistic version, and answers 409 code 4204 to a stale one', async () => {
    await createExperiment(world, twoWay('versioned'), { start: false });
    const updated = await world.t.request({
      method: 'PATCH',
      url: '/v5/experiments/versioned',
      as: world.admin,
      payload: { expected_version: 1, weights: [0.2, 0.8], description: 'More treatment' },
    });
    expect(expectStatus(updated, 200).json()).toMatchObject({ version: 2, weights: [0.2, 0.8], description: 'More treatment' });
    const stale = await world.t.request({ method: 'PATCH', url: '/v5/experiments/versioned', as: world.admin, payload: { expected_version: 1, name: 'x' } });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 4204 });
  });

  it('lists newest first with bookmarks, hides archived ones unless asked', async () => {
    for (const key of ['list-a', 'list-b', 'list-c']) await createExperiment(world, twoWay(key), { start: false });
    expectStatus(await world.t.request({ method: 'DELETE', url: '/v5/experiments/list-a', as: world.admin }), 204);
    const first = expectStatus(await world.t.request({ method: 'GET', url: '/v5/experiments?page_size=1', as: world.admin }), 200).json<{
      items: Array<{ key: string }>;
      bookmark: string;
    }>();
    expect(first.items.map((i) => i.key)).toEqual(['list-c']);
    const second = expectStatus(
      await world.t.request({ method: 'GET', url: `/v5/experiments?page_size=1&bookmark=${first.bookmark}`, as: world.admin }),
      200,
    ).json<{ items: Array<{ key: string }> }>();
    expect(second.items.map((i) => i.key)).toEqual(['list-b']);
    const all = expectStatus(await world.t.request({ method: 'GET', url: '/v5/experiments?page_size=250', as: world.admin }), 200).json<{ items: Array<{ key: string }> }>();
    expect(all.items.map((i) => i.key)).not.toContain('list-a');
    const withArchived = expectStatus(
      await world.t.request({ method: 'GET', url: '/v5/experiments?page_size=250&include_archived=true', as: world.admin }),
      200,
    ).json<{ items: Array<{ key: string }> }>();
    expect(withArchived.items.map((i) => i.key)).toContain('list-a');
  });
});

describe('lifecycle', () => {
  it('goes draft -> running -> stopped -> running, keeping the first start time', async () => {
    await createExperiment(world, twoWay('cycle'), { start: false });
    const stopDraft = await post(world.admin, '/v5/experiments/cycle/stop');
    expect(stopDraft.statusCode).toBe(409);
    expect(stopDraft.json()).toMatchObject({ code: 4206 });

    const started = expectStatus(await post(world.admin, '/v5/experiments/cycle/start'), 200).json<{ status: string; phase_started_at: string }>();
    expect(started.status).toBe('running');
    const stopped = expectStatus(await post(world.admin, '/v5/experiments/cycle/stop'), 200).json<{ status: string; stopped_at: string }>();
    expect(stopped.status).toBe('stopped');
    expect(stopped.stopped_at).not.toBeNull();
    const resumed = expectStatus(await post(world.admin, '/v5/experiments/cycle/start'), 200).json<{ phase_started_at: string; stopped_at: null }>();
    expect(resumed).toMatchObject({ phase_started_at: started.phase_started_at, stopped_at: null });
  });

  it('keeps running experiments of one namespace on slices that do not overlap (409 code 4203)', async () => {
    await createExperiment(world, twoWay('ns-left', { namespace: { name: 'home-feed', start: 0, end: 0.5 } }));
    await createExperiment(world, twoWay('ns-right', { namespace: { name: 'home-feed', start: 0.5, end: 1 } }));
    await createExperiment(world, twoWay('ns-overlap', { namespace: { name: 'home-feed', start: 0.4, end: 0.6 } }), { start: false });
    const refused = await post(world.admin, '/v5/experiments/ns-overlap/start');
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 4203 });
    expect(refused.json<{ message: string }>().message).toContain('ns-left');
  });

  it('archives: 204, then changes answer 409 code 4205 and unknown keys 404 code 4200', async () => {
    await createExperiment(world, twoWay('to-archive'));
    expectStatus(await world.t.request({ method: 'DELETE', url: '/v5/experiments/to-archive', as: world.admin }), 204);
    const archived = expectStatus(await world.t.request({ method: 'GET', url: '/v5/experiments/to-archive', as: world.admin }), 200).json<Record<string, unknown>>();
    expect(archived).toMatchObject({ status: 'stopped' });
    const start = await post(world.admin, '/v5/experiments/to-archive/start');
    expect(start.statusCode).toBe(409);
    expect(start.json()).toMatchObject({ code: 4205 });
    const missing = await world.t.request({ method: 'GET', url: '/v5/experiments/never-made', as: world.admin });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 4200 });
  });
});
