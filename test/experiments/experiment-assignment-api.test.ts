// Assignment through the API and in product code: evaluate ("get group") answers every running
// experiment's variation and logs nothing; activate and numberFor answer the same variation and log
// the user's first exposure once, durably; QA users forced into a variation and users outside the
// experiment log nothing; the two product experiments' keys read through numberFor.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GrowthBookClient, type Experiment as GbExperiment } from '@growthbook/growthbook';
import type { TestUser } from '../support/test-app.js';
import { toEngineExperiment, type ExperimentDefinition } from '../../src/experiments/experiment.model.js';
import { PRODUCT_EXPERIMENTS } from '../../src/experiments/product-experiments.js';
import { activate, createExperiment, createExperimentWorld, expectStatus, type ExperimentWorld } from './experiment-test-support.js';

let world: ExperimentWorld;
const users: TestUser[] = [];

beforeAll(async () => {
  world = await createExperimentWorld();
  for (let i = 0; i < 12; i += 1) users.push(await world.t.signUp(`member${i}`));
  await createExperiment(world, {
    key: 'button-colour',
    name: 'Button colour',
    variations: [
      { key: 'grey', value: 'grey' },
      { key: 'red', value: 'red' },
      { key: 'blue', value: 'blue' },
    ],
    forced_variations: { [users[0]!.id]: 2 },
  });
  await createExperiment(world, {
    key: 'business-only',
    name: 'Business accounts only',
    variations: [
      { key: 'off', value: false },
      { key: 'on', value: true },
    ],
    condition: { account_type: 'BUSINESS' },
  });
  await createExperiment(world, { key: 'draft-one', name: 'Not started', variations: [{ key: 'a', value: 1 }, { key: 'b', value: 2 }] }, { start: false });
});
afterAll(async () => world.t.close());

/** Exposures stored per variation, once the background pipeline has caught up with the events logged. */
async function exposures(key: string): Promise<Map<number, number>> {
  await world.t.container.background.settle();
  const definition = await world.t.container.experimentParts.repositories.experiments.findByKey(key);
  return world.t.container.experimentParts.repositories.exposures.countByVariation(definition!.id);
}

async function evaluate(user: TestUser, attributes?: Record<string, unknown>) {
  const res = await world.t.request({ method: 'POST', url: '/v5/experiments/evaluate', as: user, payload: attributes ? { attributes } : {} });
  return expectStatus(res, 200).json<{ attributes: Record<string, unknown>; experiments: Record<string, { variationId: number; inExperiment: boolean; value: unknown; hashUsed: boolean }> }>();
}

describe('evaluate', () => {
  it('answers every running experiment (not drafts) for the caller, and logs no exposure', async () => {
    const answer = await evaluate(users[1]!);
    expect(Object.keys(answer.experiments).sort()).toEqual(['business-only', 'button-colour']);
    expect(answer.attributes).toMatchObject({ id: users[1]!.id, username: 'member1', account_type: 'PINNER' });
    expect(answer.experiments['business-only']).toMatchObject({ inExperiment: false, value: false });
    expect((await exposures('button-colour')).size).toBe(0);
  });

  it('gives the variation GrowthBook\'s own SDK gives for the same definition and attributes', async () => {
    const definition = (await world.t.container.experimentParts.repositories.experiments.findByKey('button-colour')) as ExperimentDefinition;
    const client = new GrowthBookClient({});
    for (const user of users.slice(1)) {
      const ours = (await evaluate(user, { country: 'FR' })).experiments['button-colour']!;
      const theirs = client.runInlineExperiment(toEngineExperiment(definition) as GbExperiment<unknown>, {
        attributes: { id: user.id, username: user.username, account_type: 'PINNER', country: 'FR' },
      });
      expect([ours.variationId, ours.inExperiment, ours.hashUsed]).toEqual([theirs.variationId, theirs.inExperiment, theirs.hashUsed]);
    }
  });

  it('serves the running experiments to GrowthBook\'s own SDK, which then assigns exactly as evaluate does', async () => {
    const client = new GrowthBookClient({});
    for (const user of users) {
      const sdk = expectStatus(await world.t.request({ method: 'GET', url: '/v5/experiments/sdk', as: user }), 200).json<{
        experiments: Array<GbExperiment<unknown>>;
        forced_variations: Record<string, number>;
      }>();
      expect(sdk.experiments.map((e) => e.key).sort()).toEqual(['business-only', 'button-colour']);
      const answer = await evaluate(user, { country: 'DE' });
      for (const experiment of sdk.experiments) {
        const theirs = client.runInlineExperiment(experiment, { attributes: answer.attributes, forcedVariations: sdk.forced_variations });
        const ours = answer.experiments[experiment.key]!;
        expect([theirs.variationId, theirs.inExperiment, theirs.hashUsed, theirs.value]).toEqual([ours.variationId, ours.inExperiment, ours.hashUsed, ours.value]);
      }
    }
    // Forced variations travel only to their own user.
    const forcedUser = expectStatus(await world.t.request({ method: 'GET', url: '/v5/experiments/sdk', as: users[0]! }), 200).json<{ forced_variations: object }>();
    expect(forcedUser.forced_variations).toEqual({ 'button-colour': 2 });
  });

  it('targets with the attributes the server knows, which the caller cannot override', async () => {
    const claimed = await evaluate(users[2]!, { account_type: 'BUSINESS', country: 'DE' });
    expect(claimed.attributes).toMatchObject({ account_type: 'PINNER', country: 'DE' });
    expect(claimed.experiments['business-only']).toMatchObject({ inExperiment: false });
    // A business account (converted before it first evaluates, so no account type of theirs is cached).
    const shop = await world.t.signUp('shop_owner');
    await world.t.container.db.updateTable('users').set({ account_type: 'BUSINESS' }).where('id', '=', shop.id).execute();
    const business = await evaluate(shop);
    expect(business.experiments['business-only']).toMatchObject({ inExperiment: true, hashUsed: true });
  });
});

describe('activate', () => {
  it('answers the same variation as evaluate and logs the first exposure once per user', async () => {
    const seen = new Map<string, number>();
    for (const user of users.slice(1)) {
      const evaluated = (await evaluate(user)).experiments['button-colour']!;
      const first = await activate(world.t, user, 'button-colour');
      const again = await activate(world.t, user, 'button-colour');
      expect(first.variationId).toBe(evaluated.variationId);
      expect(again.variationId).toBe(first.variationId);
      seen.set(user.id, first.variationId);
    }
    const counts = await exposures('button-colour');
    expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(users.length - 1);
    for (const [variation, count] of counts) expect(count).toBe([...seen.values()].filter((v) => v === variation).length);
  });

  it('is deduplicated across processes by the table itself, keeping the first variation', async () => {
    const definition = await world.t.container.experimentParts.repositories.experiments.findByKey('button-colour');
    const repository = world.t.container.experimentParts.repositories.exposures;
    const user = users[3]!;
    const before = await exposures('button-colour');
    // Another process writing the same user's exposure (even with another variation) adds nothing.
    expect(await repository.insertFirstExposures([{ experimentId: definition!.id, userId: user.id, variationIndex: 0 }])).toBe(0);
    expect(await exposures('button-colour')).toEqual(before);
  });

  it('logs nothing for a QA user with a forced variation, nor for users outside the experiment', async () => {
    const forced = await activate(world.t, users[0]!, 'button-colour');
    expect(forced).toMatchObject({ variationId: 2, value: 'blue', inExperiment: true, hashUsed: false });
    const outside = await activate(world.t, users[4]!, 'business-only');
    expect(outside).toMatchObject({ inExperiment: false, value: false });
    const counts = await exposures('button-colour');
    expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(users.length - 1);
    expect((await exposures('business-only')).size).toBe(0);
  });

  it('answers 404 code 4200 for an experiment that is not running', async () => {
    for (const key of ['draft-one', 'never-made']) {
      const res = await world.t.request({ method: 'POST', url: `/v5/experiments/${key}/activate`, as: users[1]!, payload: {} });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ code: 4200 });
    }
  });
});

describe('the product experiments', () => {
  it('numberFor answers each user their variation value for home-feed-blend-rate and related-pins-step-budget, consistently, logging the exposure', async () => {
    for (const spec of PRODUCT_EXPERIMENTS) {
      const { key, variations } = spec;
      expect(key).toMatch(/^(home-feed-blend-rate|related-pins-step-budget)$/);
      const viewerOf = (user: TestUser) => ({ userId: user.id, username: user.username });
      // Before the experiment exists, product code gets its own default.
      expect(await world.t.container.services.experiments.numberFor(viewerOf(users[1]!), key, spec.defaultValue)).toBe(spec.defaultValue);

      // Hashed on usernames (ids carry the sign-up time), so the split among these users is the same every run.
      await createExperiment(world, { key, name: spec.name, variations, metrics: spec.metrics, hash_attribute: 'username' });
      const values = new Set<number>();
      for (const user of users.slice(1)) {
        const value = await world.t.container.services.experiments.numberFor(viewerOf(user), key, -1);
        expect(variations.map((v) => v.value)).toContain(value);
        expect(await world.t.container.services.experiments.numberFor(viewerOf(user), key, -1)).toBe(value);
        values.add(value);
      }
      expect(values.size).toBeGreaterThan(1);
      const counts = await exposures(key);
      expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(users.length - 1);
    }
  });
});
