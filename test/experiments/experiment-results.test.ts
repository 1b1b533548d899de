// An experiment's results from stored exposures and engagement events: the summary sums per
// variation and metric equal a direct count of each exposed user's events (after their own first
// exposure, until the stop; the pre-exposure window as the CUPED covariate), an injected sample-ratio
// mismatch is flagged and a balanced split is not, first exposures are counted over time, and the
// results page for people shows it all, to administrators only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngagementKind } from '../../src/platform/db/schema.js';
import { metricsOf } from '../../src/experiments/metrics/metric-catalog.js';
import type { EngagementEventInput } from '../../src/experiments/demo/engagement-events.repository.js';
import type { TestUser } from '../support/test-app.js';
import { createExperiment, createExperimentWorld, expectStatus, recordEvents, type ExperimentWorld } from './experiment-test-support.js';
import { parseHtml } from './html-test-support.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const METRICS = ['saves_per_user', 'saved_at_least_once', 'saves_per_impression', 'hides_per_user'];

let world: ExperimentWorld;
let member: TestUser;
let balancedId: string;
const exposed: Array<{ userId: string; variation: number; at: Date }> = [];
const events: EngagementEventInput[] = [];

async function insertUsers(prefix: string, count: number): Promise<string[]> {
  const rows = Array.from({ length: count }, (_, i) => ({
    id: world.t.container.ids.next(),
    username: `${prefix}${i}`,
    email: `${prefix}${i}@example.test`,
    password_hash: 'not-a-hash',
  }));
  await world.t.container.db.insertInto('users').values(rows).execute();
  return rows.map((row) => row.id);
}

async function insertExposures(experimentId: string, rows: Array<{ userId: string; variation: number; at: Date }>): Promise<void> {
  await world.t.container.db
    .insertInto('experiment_exposures')
    .values(rows.map((row) => ({ experiment_id: experimentId, user_id: row.userId, variation_index: row.variation, first_exposed_at: row.at })))
    .execute();
}

beforeAll(async () => {
  world = await createExperimentWorld();
  member = await world.t.signUp('member');
  const created = await createExperiment(world, { key: 'balanced', name: 'Balanced <b>"bold"</b> & co', variations: [{ key: 'a', value: 0 }, { key: 'b', value: 1 }], metrics: METRICS });
  balancedId = String(created.id);

  // Twelve users, six per variation, exposed over the last day, each with a deterministic mix of
  // events: after exposure, in the 14 days before it, and older than that (left out).
  const users = await insertUsers('u', 12);
  const now = Date.now();
  users.forEach((userId, i) => exposed.push({ userId, variation: i % 2, at: new Date(now - DAY + i * HOUR) }));
  await insertExposures(balancedId, exposed);
  const add = (userId: string, kind: EngagementKind, count: number, occurredAt: Date) => {
    for (let k = 0; k < count; k += 1) events.push({ userId, kind, occurredAt });
  };
  exposed.forEach(({ userId, variation, at }, i) => {
    add(userId, 'impression', 3 + i, new Date(at.getTime() + 10 * 60_000));
    add(userId, 'save', (i % 3) + (variation === 1 && i > 6 ? 2 : 0), new Date(at.getTime() + 20 * 60_000));
    add(userId, 'hide', i % 3 === 0 ? 1 : 0, new Date(at.getTime() + 30 * 60_000));
    add(userId, 'impression', 2 + (i % 5), new Date(at.getTime() - 2 * DAY));
    add(userId, 'save', i % 3, new Date(at.getTime() - 3 * DAY));
    add(userId, 'save', 7, new Date(at.getTime() - 20 * DAY)); // before the 14-day window
    add(userId, 'save', i % 2, new Date(at.getTime() - 1000)); // just before exposure: pre-period
  });
  // Someone never exposed engages too; they are not in the experiment.
  const [outsider] = await insertUsers('outsider', 1);
  add(outsider!, 'save', 50, new Date());
  await recordEvents(world.t, events);
}, 120_000);
afterAll(async () => world.t.close());

/** The reference: each exposed user's counts by kind in the post and pre windows, summed per variation. */
function reference(preDays: number) {
  const count = (userId: string, kind: EngagementKind, from: number, to: number) =>
    events.filter((e) => e.userId === userId && e.kind === kind && e.occurredAt!.getTime() >= from && e.occurredAt!.getTime() < to).length;
  return [0, 1].map((variation) => {
    const rows = exposed.filter((e) => e.variation === variation);
    const sum = (f: (row: (typeof rows)[number]) => number) => rows.reduce((total, row) => total + f(row), 0);
    const post = (row: (typeof rows)[number], kind: EngagementKind) => count(row.userId, kind, row.at.getTime(), Infinity);
    const pre = (row: (typeof rows)[number], kind: EngagementKind) => count(row.userId, kind, row.at.getTime() - preDays * DAY, row.at.getTime());
    return {
      n: rows.length,
      saves: sum((r) => post(r, 'save')),
      savesSquares: sum((r) => post(r, 'save') ** 2),
      savedOnce: sum((r) => (post(r, 'save') > 0 ? 1 : 0)),
      impressions: sum((r) => post(r, 'impression')),
      savesImpressions: sum((r) => post(r, 'save') * post(r, 'impression')),
      preSaves: sum((r) => pre(r, 'save')),
      savesPreSaves: sum((r) => post(r, 'save') * pre(r, 'save')),
      preImpressions: sum((r) => pre(r, 'impression')),
      hides: sum((r) => post(r, 'hide')),
    };
  });
}

describe('summary sums', () => {
  it('count each exposed user\'s events after their own exposure, with the pre-exposure window as the covariate', async () => {
    const summary = await world.t.container.experimentParts.repositories.summaries.summarize({
      experimentId: balancedId,
      variationCount: 2,
      metrics: metricsOf(METRICS),
      end: null,
      preDays: 14,
    });
    const expected = reference(14);
    expect(summary.users).toEqual([6, 6]);
    const byKey = new Map(summary.metrics.map((m) => [m.metric.key, m.variations]));
    for (const v of [0, 1]) {
      const e = expected[v]!;
      expect(byKey.get('saves_per_user')![v]).toEqual({
        n: e.n,
        sum: e.saves,
        sumSquares: e.savesSquares,
        covariateSum: e.preSaves,
        covariateSumSquares: expect.any(Number) as number,
        mainCovariateSumProduct: e.savesPreSaves,
      });
      expect(byKey.get('saved_at_least_once')![v]).toMatchObject({ n: e.n, sum: e.savedOnce });
      expect(byKey.get('saves_per_impression')![v]).toMatchObject({
        sum: e.saves,
        denominatorSum: e.impressions,
        mainDenominatorSumProduct: e.savesImpressions,
        denominatorPreSum: e.preImpressions,
      });
      expect(byKey.get('hides_per_user')![v]).toMatchObject({ sum: e.hides });
    }
  });

  it('leave the covariate out with a zero-day window', async () => {
    const summary = await world.t.container.experimentParts.repositories.summaries.summarize({
      experimentId: balancedId,
      variationCount: 2,
      metrics: metricsOf(['saves_per_user']),
      end: null,
      preDays: 0,
    });
    expect(summary.metrics[0]!.variations[0]).toEqual({ n: 6, sum: reference(0)[0]!.saves, sumSquares: reference(0)[0]!.savesSquares });
  });
});

describe('GET /v5/experiments/{key}/results', () => {
  it('analyses every metric, checks the split and counts exposures over time', async () => {
    const res = expectStatus(await world.t.request({ method: 'GET', url: '/v5/experiments/balanced/results?correction=holm', as: world.admin }), 200);
    const results = res.json<{
      users: number[];
      srm: { mismatch: boolean; p_value: number };
      metrics: Array<{ key: string }>;
      analysis: { correction: string; metrics: Array<{ key: string; cuped: boolean; variations: Array<{ n: number; mean: number }> }> };
      exposures_over_time: { unit: string; buckets: Array<{ counts: number[] }> };
      window: { pre_period_days: number };
    }>();
    expect(results.users).toEqual([6, 6]);
    expect(results.srm).toMatchObject({ mismatch: false, p_value: 1 });
    expect(results.metrics.map((m) => m.key)).toEqual(METRICS);
    expect(results.analysis.correction).toBe('holm');
    const saves = results.analysis.metrics.find((m) => m.key === 'saves_per_user')!;
    expect(saves.cuped).toBe(true);
    expect(saves.variations.map((v) => v.mean)).toEqual(reference(14).map((r) => r.saves / r.n));
    expect(results.exposures_over_time.unit).toBe('hour');
    expect(results.exposures_over_time.buckets).toHaveLength(12);
    expect(results.exposures_over_time.buckets.flatMap((b) => b.counts).reduce((a, b) => a + b, 0)).toBe(12);
    expect(results.window.pre_period_days).toBe(14);
  });

  it('flags an injected sample-ratio mismatch, and stops counting events at the stop', async () => {
    const created = await createExperiment(world, { key: 'lopsided', name: 'Lopsided', variations: [{ key: 'a', value: 0 }, { key: 'b', value: 1 }] });
    const users = await insertUsers('lop', 500);
    // A 50/50 experiment whose treatment lost a third of its exposures: 300 vs 200.
    await insertExposures(String(created.id), users.map((userId, i) => ({ userId, variation: i < 300 ? 0 : 1, at: new Date(Date.now() - HOUR) })));
    expectStatus(await world.t.request({ method: 'POST', url: '/v5/experiments/lopsided/stop', as: world.admin }), 200);
    await recordEvents(world.t, [{ userId: users[0]!, kind: 'save', occurredAt: new Date(Date.now() + 60_000) }]);

    const results = expectStatus(await world.t.request({ method: 'GET', url: '/v5/experiments/lopsided/results', as: world.admin }), 200).json<{
      srm: { mismatch: boolean; p_value: number; users: number[] };
      analysis: { metrics: Array<{ key: string; variations: Array<{ mean: number }> }> };
    }>();
    expect(results.srm).toMatchObject({ mismatch: true, users: [300, 200] });
    expect(results.srm.p_value).toBeLessThan(0.001);
    expect(results.analysis.metrics.find((m) => m.key === 'saves_per_user')!.variations[0]!.mean).toBe(0);

    const page = parseHtml(expectStatus(await world.t.request({ method: 'GET', url: '/experiments/lopsided/results', as: world.admin }), 200).body);
    const verdict = page.find((n) => n.attributes['data-mismatch'] !== undefined)!;
    expect(verdict.attributes['data-mismatch']).toBe('true');
    expect(verdict.text()).toMatch(/Sample ratio mismatch/);
  });
});

describe('the results page', () => {
  it('is for administrators: a sign-in page without a session or token, 403 for others, the page for them', async () => {
    const anonymous = await world.t.request({ method: 'GET', url: '/experiments/balanced/results', as: null });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['content-type']).toMatch(/^text\/html/);
    expect(parseHtml(anonymous.body).find((n) => n.tag === 'form')!.attributes.action).toBe('/login');

    const forbidden = await world.t.request({ method: 'GET', url: '/experiments/balanced/results', as: member });
    expect(forbidden.statusCode).toBe(403);

    const res = expectStatus(await world.t.request({ method: 'GET', url: '/experiments/balanced/results', as: world.admin }), 200);
    expect(res.headers).toMatchObject({ 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
    expect(res.headers['content-security-policy']).toMatch(/default-src 'none'/);
    const page = parseHtml(res.body);
    expect(page.find((n) => n.tag === 'input' && n.attributes.name === 'access_token')).toBeUndefined();

    const bad = await world.t.request({ method: 'GET', url: '/experiments/balanced/results?alpha=3', as: world.admin });
    expect(bad.statusCode).toBe(400);
    expect(parseHtml(bad.body).text()).toMatch(/alpha/);
    expect((await world.t.request({ method: 'GET', url: '/experiments/nothing-here/results', as: world.admin })).statusCode).toBe(404);
  });

  it('shows each metric with its lift intervals as a chart, the split and exposures over time, escaping names', async () => {
    const res = expectStatus(await world.t.request({ method: 'GET', url: '/experiments/balanced/results', as: world.admin }), 200);
    const page = parseHtml(res.body);
    expect(page.find((n) => n.tag === 'h1')!.text()).toBe('Balanced <b>"bold"</b> & co');
    expect(page.find((n) => n.tag === 'b' || n.tag === 'script')).toBeUndefined();

    const metrics = page.findAll((n) => n.attributes.class === 'metric');
    expect(metrics.map((m) => m.attributes['data-metric'])).toEqual(METRICS);
    for (const metric of metrics) {
      const svg = metric.find((n) => n.tag === 'svg')!;
      expect(svg.attributes.role).toBe('img');
      expect(svg.find((n) => n.tag === 'title')!.text()).toMatch(/relative lift/);
      const interval = svg.find((n) => n.attributes.class === 'interval')!;
      const [estimate, low, high] = ['data-estimate', 'data-ci-low', 'data-ci-high'].map((name) => Number(interval.attributes[name]));
      expect(low).toBeLessThanOrEqual(estimate!);
      expect(high).toBeGreaterThanOrEqual(estimate!);
      // The interval's bar and the estimate's dot are drawn.
      expect(interval.find((n) => n.tag === 'line')).toBeDefined();
      expect(interval.find((n) => n.tag === 'circle')).toBeDefined();
    }
    const srmRows = page.find((n) => n.attributes.id === 'srm')!.findAll((n) => n.tag === 'tr' && n.attributes['data-variation'] !== undefined);
    expect(srmRows.map((row) => row.findAll((n) => n.tag === 'td')[3]!.text())).toEqual(['6', '6']);
    const series = page.find((n) => n.attributes.id === 'exposures')!.findAll((n) => n.attributes.class === 'series');
    expect(series.map((s) => s.attributes['data-total'])).toEqual(['6', '6']);
  });

  it('lists experiments with links to their results', async () => {
    const res = expectStatus(await world.t.request({ method: 'GET', url: '/experiments', as: world.admin }), 200);
    const links = parseHtml(res.body).findAll((n) => n.tag === 'a').map((a) => a.attributes.href);
    expect(links).toContain('/experiments/balanced/results');
    expect((await world.t.request({ method: 'GET', url: '/experiments', as: member })).statusCode).toBe(403);
  });
});
