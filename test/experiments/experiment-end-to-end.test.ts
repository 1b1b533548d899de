// End to end: an administrator creates the home feed blend-rate experiment through the API and starts
// it; people sign up, open their home feed (the feed reads the experiment, which logs their
// exposure) and report what they did through POST /v5/events, before and after. People who got the
// treatment save more: a planted difference the results must detect, with the control's numbers, a
// balanced split and CUPED on the pre-exposure activity. The results page shows the same.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestUser } from '../support/test-app.js';
import { HOME_FEED_BLEND_RATE } from '../../src/experiments/product-experiments.js';
import { seededRandom } from '../../src/experiments/engine/random-experiments-test-support.js';
import { createExperiment, createExperimentWorld, expectStatus, type ExperimentWorld } from './experiment-test-support.js';
import { parseHtml } from './html-test-support.js';

const PEOPLE = 60;
const KEY = HOME_FEED_BLEND_RATE.key;
/** Saves per person: the treatment's people save this much more (a 150% lift). */
const CONTROL_SAVE_RATE = 1;
const TREATMENT_SAVE_RATE = 2.5;

let world: ExperimentWorld;
let pinIds: string[] = [];
const people: TestUser[] = [];
const variationOf = new Map<string, number>();

function poisson(random: () => number, lambda: number): number {
  const limit = Math.exp(-lambda);
  let k = 0;
  for (let product = random(); product > limit; product *= random()) k += 1;
  return k;
}

async function createPins(creator: TestUser, count: number): Promise<string[]> {
  const board = expectStatus(
    await world.t.request({ method: 'POST', url: '/v5/boards', as: creator, payload: { name: 'Things to save', privacy: 'PUBLIC' } }),
    201,
  ).json<{ id: string }>();
  const data = fs.readFileSync(path.join(import.meta.dirname, '../../docs/birdhouse.png')).toString('base64');
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const pin = await world.t.request({
      method: 'POST',
      url: '/v5/pins',
      as: creator,
      payload: { board_id: board.id, title: `Birdhouse ${i}`, media_source: { source_type: 'image_base64', content_type: 'image/png', data } },
    });
    ids.push(expectStatus(pin, 201).json<{ id: string }>().id);
  }
  return ids;
}

async function sendEvents(person: TestUser, events: Array<{ kind: string; pin_id: string; occurred_at?: string }>): Promise<void> {
  for (let start = 0; start < events.length; start += 100) {
    const res = await world.t.request({ method: 'POST', url: '/v5/events', as: person, payload: { events: events.slice(start, start + 100) } });
    expectStatus(res, 200);
  }
}

beforeAll(async () => {
  world = await createExperimentWorld();
  const creator = await world.t.signUp('creator');
  pinIds = await createPins(creator, 3);

  // 1. The experiment, through the admin API. It hashes usernames rather than ids (which carry the
  // time of sign-up), so every run assigns the same people the same variations and the assertions
  // below face the same data each time.
  await createExperiment(world, {
    key: KEY,
    name: HOME_FEED_BLEND_RATE.name,
    hash_attribute: 'username',
    variations: HOME_FEED_BLEND_RATE.variations,
    metrics: ['saves_per_user', 'saved_at_least_once', 'saves_per_impression'],
  });

  // 2. People use the product: sign up, open the home feed, report impressions and saves.
  const random = seededRandom(20261122);
  for (let i = 0; i < PEOPLE; i += 1) people.push(await world.t.signUp(`person${i}`));
  const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000).toISOString();
  for (const person of people) {
    expectStatus(await world.t.request({ method: 'GET', url: '/v5/feeds/home', as: person }), 200);
    // Which variation the feed used is what evaluate answers (it logs nothing itself).
    const evaluated = expectStatus(await world.t.request({ method: 'POST', url: '/v5/experiments/evaluate', as: person, payload: {} }), 200);
    const variation = evaluated.json<{ experiments: Record<string, { variationId: number }> }>().experiments[KEY]!.variationId;
    variationOf.set(person.id, variation);

    // Each person has an activity level; the treatment multiplies their saves after exposure.
    const activity = 0.5 + random();
    const pin = () => pinIds[Math.floor(random() * pinIds.length)]!;
    const events: Array<{ kind: string; pin_id: string; occurred_at?: string }> = [];
    for (let k = poisson(random, 4 * activity); k > 0; k -= 1) events.push({ kind: 'impression', pin_id: pin(), occurred_at: twoDaysAgo });
    for (let k = poisson(random, CONTROL_SAVE_RATE * activity); k > 0; k -= 1) events.push({ kind: 'save', pin_id: pin(), occurred_at: twoDaysAgo });
    for (let k = 3 + poisson(random, 6 * activity); k > 0; k -= 1) events.push({ kind: 'impression', pin_id: pin() });
    const rate = variation === 1 ? TREATMENT_SAVE_RATE : CONTROL_SAVE_RATE;
    for (let k = poisson(random, rate * activity); k > 0; k -= 1) events.push({ kind: 'save', pin_id: pin() });
    if (events.length > 0) await sendEvents(person, events);
  }
  // Exposures reach experiment_exposures through the background pipeline.
  await world.t.container.background.settle();
}, 240_000);
afterAll(async () => world.t.close());

interface ResultsJson {
  users: number[];
  srm: { mismatch: boolean; p_value: number };
  analysis: {
    metrics: Array<{
      key: string;
      cuped: boolean;
      variations: Array<{ n: number; mean: number; relative: { estimate: number; ci_low: number; ci_high: number; significant: boolean } | null }>;
    }>;
  } | null;
}

describe('an experiment from definition to result', () => {
  it('logged one exposure per person who opened the feed, in the variation they got', async () => {
    const results = expectStatus(await world.t.request({ method: 'GET', url: `/v5/experiments/${KEY}/results`, as: world.admin }), 200).json<ResultsJson>();
    const expected = [0, 1].map((v) => [...variationOf.values()].filter((x) => x === v).length);
    expect(results.users).toEqual(expected);
    expect(results.users[0]! + results.users[1]!).toBe(PEOPLE);
    expect(results.srm.mismatch).toBe(false);
  });

  it('detects the planted lift in saves, with CUPED on the pre-exposure activity, and none where there is none', async () => {
    const results = expectStatus(await world.t.request({ method: 'GET', url: `/v5/experiments/${KEY}/results`, as: world.admin }), 200).json<ResultsJson>();
    const byKey = new Map(results.analysis!.metrics.map((m) => [m.key, m]));
    const saves = byKey.get('saves_per_user')!;
    expect(saves.cuped).toBe(true);
    const lift = saves.variations[1]!.relative!;
    console.info(
      `saves per user, ${results.users.join(' vs ')} people: control ${saves.variations[0]!.mean.toFixed(3)}, treatment ${saves.variations[1]!.mean.toFixed(3)}, ` +
        `relative lift ${(lift.estimate * 100).toFixed(1)}% [${(lift.ci_low * 100).toFixed(1)}%, ${(lift.ci_high * 100).toFixed(1)}%] (planted +150%)`,
    );
    expect(lift.significant).toBe(true);
    expect(lift.estimate).toBeGreaterThan(0);
    // The planted lift (+150%) lies inside the interval.
    expect(lift.ci_low).toBeLessThan(TREATMENT_SAVE_RATE / CONTROL_SAVE_RATE - 1);
    expect(lift.ci_high).toBeGreaterThan(TREATMENT_SAVE_RATE / CONTROL_SAVE_RATE - 1);

    const withoutCuped = expectStatus(
      await world.t.request({ method: 'GET', url: `/v5/experiments/${KEY}/results?pre_period_days=0`, as: world.admin }),
      200,
    ).json<ResultsJson>();
    const plain = withoutCuped.analysis!.metrics.find((m) => m.key === 'saves_per_user')!;
    expect(plain.cuped).toBe(false);
    expect(plain.variations[1]!.relative!.significant).toBe(true);
  });

  it('shows the same on the results page', async () => {
    const res = expectStatus(await world.t.request({ method: 'GET', url: `/experiments/${KEY}/results`, as: world.admin }), 200);
    const page = parseHtml(res.body);
    const savesChart = page.find((node) => node.attributes['data-metric'] === 'saves_per_user')!;
    const interval = savesChart.find((node) => node.attributes.class === 'interval')!;
    expect(interval.attributes['data-verdict']).toBe('better');
    expect(page.find((node) => node.attributes['data-mismatch'] !== undefined)!.attributes['data-mismatch']).toBe('false');
  });
});
