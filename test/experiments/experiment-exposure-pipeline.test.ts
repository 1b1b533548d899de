// Exposures through the background pipeline: activating an experiment through the product API logs
// one exposure event (durable before the answer, deduplicated per user and experiment in process),
// and the worker's log reader turns it into exactly one experiment_exposures row, at the time of
// the exposure, even when the event is delivered twice (logged by another process too, or read again
// after the reader's position was lost).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { TestUser } from '../support/test-app.js';
import { EXPOSURE_CONSUMER } from '../../src/experiments/exposure-pipeline.js';
import { activate, createExperiment, createExperimentWorld, type ExperimentWorld } from './experiment-test-support.js';

let world: ExperimentWorld;
let member: TestUser;
let experimentId: string;

beforeAll(async () => {
  world = await createExperimentWorld();
  member = await world.t.signUp('member');
  const created = await createExperiment(world, { key: 'pipeline', name: 'Pipeline', variations: [{ key: 'a', value: 0 }, { key: 'b', value: 1 }] });
  experimentId = String(created.id);
}, 60_000);
afterAll(async () => world.t.close());

async function events() {
  return world.t.container.db
    .selectFrom('experiment_exposure_events')
    .select(['user_id', 'variation_index', 'exposed_at'])
    .where('experiment_id', '=', experimentId)
    .orderBy('id')
    .execute();
}

async function stored() {
  return world.t.container.db
    .selectFrom('experiment_exposures')
    .select(['user_id', 'variation_index', 'first_exposed_at'])
    .where('experiment_id', '=', experimentId)
    .execute();
}

describe('an exposure logged by the product API', () => {
  let variation: number;

  it('is one durable event by the time activate answers, however often the user reads', async () => {
    variation = (await activate(world.t, member, 'pipeline')).variationId;
    await activate(world.t, member, 'pipeline');
    await activate(world.t, member, 'pipeline');
    const logged = await events();
    expect(logged.map((e) => [e.user_id, e.variation_index])).toEqual([[member.id, variation]]);
  });

  it('reaches experiment_exposures through the pipeline once, at the time of the exposure', async () => {
    await world.t.container.background.settle();
    const [event] = await events();
    const rows = await stored();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ user_id: member.id, variation_index: variation });
    expect(rows[0]!.first_exposed_at.getTime()).toBe(event!.exposed_at.getTime());
  });

  it('stays one row, with the first variation, when the event is delivered twice', async () => {
    const [first] = await stored();
    // Another process logged the same user's exposure too (before it knew of the first one), with
    // another variation even...
    await world.t.container.db
      .insertInto('experiment_exposure_events')
      .values({ experiment_id: experimentId, user_id: member.id, variation_index: 1 - variation })
      .execute();
    // ...and the reader lost its position, so every event is read again.
    await sql`UPDATE log_consumers SET last_xid = '0'::xid8, last_id = 0 WHERE name = ${EXPOSURE_CONSUMER}`.execute(world.t.container.db);
    await world.t.container.background.settle();
    expect(await events()).toHaveLength(2);
    expect(await stored()).toEqual([first]);

    const results = await world.t.request({ method: 'GET', url: '/v5/experiments/pipeline/results', as: world.admin });
    const users = results.json<{ users: number[] }>().users;
    expect(users.reduce((a, b) => a + b, 0)).toBe(1);
    expect(users[variation]).toBe(1);
  });

  it('adds nothing to the log once the exposure is stored, even after a restart forgets it', async () => {
    const log = world.t.container.experimentParts.repositories.exposures;
    expect(await log.appendEvents([{ experimentId, userId: member.id, variationIndex: variation }])).toBe(0);
    expect(await events()).toHaveLength(2);
  });

  it('lets the log be purged of events the reader has passed, once old enough, keeping the exposure', async () => {
    const repository = world.t.container.experimentParts.repositories.exposures;
    const [kept] = await stored();
    await world.t.container.background.settle();
    expect(await repository.purgeEvents(EXPOSURE_CONSUMER, 1)).toBe(0);
    expect(await repository.purgeEvents(EXPOSURE_CONSUMER, 0)).toBe(2);
    expect(await events()).toEqual([]);
    expect(await stored()).toEqual([kept]);
  });
});
