// Contract rows for /v5/experiments (extension): an experiment's whole life through the admin API
// (created as a draft, read, updated, started, evaluated and activated by users, its results read,
// stopped, archived), the metrics and the stats engine, and each refusal with its own code. One
// experiment, "contract-exp", made by the first row, is carried through the rest in order. The
// administrator is an account of its own (flagged is_admin, as `cli admin grant` does), so none of
// the world's users gains rights the other rows rely on them lacking; bob stands for non-admins.
import { expect } from 'vitest';
import { noToken, row, withQuery, type Case, type Req } from '../contract-case.js';
import type { ContractWorld } from '../contract-world.js';

/** A check reading the body as the shape the served document gives it (validated before checks run). */
const reads =
  <T>(check: (body: T, w: ContractWorld) => void): Case['check'] =>
  (body, w) =>
    check(body as unknown as T, w);

interface ExperimentJson {
  id: string;
  key: string;
  status: string;
  phase_started_at: string | null;
  stopped_at: string | null;
  archived_at: string | null;
}
interface ListJson {
  items: { key: string; type?: string }[];
}
interface AssignmentJson {
  variationId: number;
  value: unknown;
}
interface SdkJson {
  experiments: unknown[];
  forced_variations: Record<string, number>;
}
interface EvaluateJson {
  experiments: Record<string, AssignmentJson>;
}
interface ResultsJson {
  metrics: { key: string }[];
  note: string | null;
}
interface LiftJson {
  estimate: number;
  p_value: number;
  significant: boolean;
}
interface AnalysisJson {
  srm: { users: number[] };
  metrics: { variations: { absolute: LiftJson }[] }[];
}

const KEY = 'contract-exp';
const UNKNOWN = 'no-such-experiment';

/** The administrator's bearer token, made on first use. */
async function admin(w: ContractWorld): Promise<string> {
  if (!w.memo.has('experiments admin token')) {
    const boss = await w.t.signUpAdmin('exp_admin');
    w.memo.set('experiments admin token', boss.token);
  }
  return w.memo.get('experiments admin token')!;
}

const definition = {
  key: KEY,
  name: 'Contract experiment',
  variations: [
    { key: 'control', value: { color: 'red' } },
    { key: 'treatment', value: { color: 'blue' } },
  ],
  metrics: ['saves_per_user'],
};

const create = async (w: ContractWorld): Promise<Req> => ({ url: '/v5/experiments', as: await admin(w), payload: definition });
const one = (action = '') => async (w: ContractWorld): Promise<Req> => ({ url: `/v5/experiments/${KEY}${action}`, as: await admin(w) });
const unknown = (action = '') => async (w: ContractWorld): Promise<Req> => ({ url: `/v5/experiments/${UNKNOWN}${action}`, as: await admin(w) });
const asBob = (req: (w: ContractWorld) => Promise<Req>) => async (w: ContractWorld): Promise<Req> => ({ ...(await req(w)), as: w.bob });
const list = async (w: ContractWorld): Promise<Req> => ({ url: '/v5/experiments', as: await admin(w) });
const evaluate = (w: ContractWorld): Req => ({ url: '/v5/experiments/evaluate', as: w.frank, payload: {} });
const activate = (w: ContractWorld): Req => ({ url: `/v5/experiments/${KEY}/activate`, as: w.frank, payload: {} });
const keysOf = (body: ListJson) => body.items.map((item) => item.key);

// gbstats' own fixture (test_tests.py): a mean metric, control then treatment.
const GB_CONTROL = { n: 3407, sum: 1396.87, sum_squares: 52377.9767 };
const GB_TREATMENT = { n: 3461, sum: 2422.7, sum_squares: 134698.29 };
const analyze = (body: object) => (w: ContractWorld): Req => ({ url: '/v5/experiments/analyze', as: w.frank, payload: body });
const meanOf = (variations: object[]) => ({ metrics: [{ key: 'm', type: 'mean', variations }] });

export const experimentCases: Case[] = [
  // POST /v5/experiments
  row('POST /v5/experiments', 'creates a draft with the defaults filled in', 201, create, {
    check: reads<ExperimentJson>((body, w) => {
      expect(body).toMatchObject({
        key: KEY,
        status: 'draft',
        variations: [{ key: 'control', name: 'control', value: { color: 'red' } }, { key: 'treatment', name: 'treatment', value: { color: 'blue' } }],
        weights: [0.5, 0.5],
        coverage: 1,
        hash_attribute: 'id',
        seed: KEY,
        metrics: ['saves_per_user'],
        phase_started_at: null,
        version: 1,
      });
      w.memo.set('experiment id', body.id);
    }),
  }),
  row('POST /v5/experiments', 'weights that do not add up to 1', 400, async (w) => ({
    ...(await create(w)),
    payload: { ...definition, key: 'contract-bad-weights', weights: [0.5, 0.6] },
  }), { code: 4201, check: reads<{ message: string }>((body) => expect(body.message).toMatch(/weights must add up to 1/)) }),
  row('POST /v5/experiments', 'a metric that does not exist', 400, async (w) => ({
    ...(await create(w)),
    payload: { ...definition, key: 'contract-bad-metric', metrics: ['happiness'] },
  }), { code: 4201 }),
  row('POST /v5/experiments', 'a key already taken', 409, create, { code: 4202 }),
  row('POST /v5/experiments', 'a token without experiments:admin', 403, asBob(create), { code: 3 }),
  noToken('POST /v5/experiments', create),

  // GET /v5/experiments/{experiment_key}
  row('GET /v5/experiments/{experiment_key}', 'reads the experiment', 200, one(), {
    check: (body, w) => expect(body).toMatchObject({ id: w.memo.get('experiment id'), key: KEY, status: 'draft', version: 1 }),
  }),
  row('GET /v5/experiments/{experiment_key}', 'unknown key', 404, unknown(), { code: 4200 }),
  row('GET /v5/experiments/{experiment_key}', 'a token without experiments:admin', 403, asBob(one()), { code: 3 }),
  noToken('GET /v5/experiments/{experiment_key}', one()),

  // PATCH /v5/experiments/{experiment_key}: bob is forced into the treatment (a QA account).
  row('PATCH /v5/experiments/{experiment_key}', 'updates at the version read, bumping it', 200, async (w) => ({
    ...(await one()(w)),
    payload: { name: 'Contract experiment, renamed', forced_variations: { [w.bob.id]: 1 }, expected_version: 1 },
  }), {
    check: (body, w) => expect(body).toMatchObject({ key: KEY, name: 'Contract experiment, renamed', forced_variations: { [w.bob.id]: 1 }, version: 2 }),
  }),
  row('PATCH /v5/experiments/{experiment_key}', 'changed since the version read', 409, async (w) => ({
    ...(await one()(w)),
    payload: { name: 'Lost update', expected_version: 1 },
  }), { code: 4204 }),
  row('PATCH /v5/experiments/{experiment_key}', 'a forced variation that does not exist', 400, async (w) => ({
    ...(await one()(w)),
    payload: { forced_variations: { [w.frank.id]: 5 } },
  }), { code: 4201 }),
  row('PATCH /v5/experiments/{experiment_key}', 'unknown key', 404, async (w) => ({ ...(await unknown()(w)), payload: { name: 'x' } }), { code: 4200 }),
  row('PATCH /v5/experiments/{experiment_key}', 'a token without experiments:admin', 403, asBob(async (w) => ({ ...(await one()(w)), payload: { name: 'x' } })), { code: 3 }),

  // POST /v5/experiments/{experiment_key}/start, and stop before it ever started
  row('POST /v5/experiments/{experiment_key}/stop', 'a draft that never started', 409, one('/stop'), { code: 4206 }),
  row('POST /v5/experiments/{experiment_key}/start', 'starts assigning users', 200, one('/start'), {
    check: reads<ExperimentJson>((body) => {
      expect(body).toMatchObject({ key: KEY, status: 'running', stopped_at: null });
      expect(body.phase_started_at).toEqual(expect.any(String));
    }),
  }),
  row('POST /v5/experiments/{experiment_key}/start', 'unknown key', 404, unknown('/start'), { code: 4200 }),
  row('POST /v5/experiments/{experiment_key}/start', 'a token without experiments:admin', 403, asBob(one('/start')), { code: 3 }),

  // GET /v5/experiments/sdk
  row('GET /v5/experiments/sdk', 'the running experiment for the SDK', 200, (w) => ({ url: '/v5/experiments/sdk', as: w.frank }), {
    check: reads<SdkJson>((body) => {
      expect(body.experiments).toContainEqual(expect.objectContaining({ key: KEY, weights: [0.5, 0.5], variations: [{ color: 'red' }, { color: 'blue' }] }));
      expect(body.forced_variations).toEqual({});
    }),
  }),
  row('GET /v5/experiments/sdk', "a QA account gets its forced variation", 200, (w) => ({ url: '/v5/experiments/sdk', as: w.bob }), {
    check: reads<SdkJson>((body) => expect(body.forced_variations).toEqual({ [KEY]: 1 })),
  }),
  noToken('GET /v5/experiments/sdk', (w) => ({ url: '/v5/experiments/sdk', as: w.frank })),

  // POST /v5/experiments/evaluate
  row('POST /v5/experiments/evaluate', "the caller's variation of every running experiment", 200, evaluate, {
    check: reads<EvaluateJson>((body, w) => {
      const result = body.experiments[KEY]!;
      expect(result).toMatchObject({ inExperiment: true, hashAttribute: 'id', hashValue: w.frank.id });
      expect([0, 1]).toContain(result.variationId);
      expect(result.value).toEqual(definition.variations[result.variationId]!.value);
      w.memo.set('frank variation', String(result.variationId));
    }),
  }),
  row('POST /v5/experiments/evaluate', 'a forced variation wins', 200, (w) => ({ ...evaluate(w), as: w.bob }), {
    check: reads<EvaluateJson>((body) => expect(body.experiments[KEY]).toMatchObject({ variationId: 1, value: { color: 'blue' } })),
  }),
  row('POST /v5/experiments/evaluate', 'an unknown field', 400, (w) => ({ ...evaluate(w), payload: { attributes: {}, user: 'frank' } }), { code: 1 }),
  noToken('POST /v5/experiments/evaluate', evaluate),

  // POST /v5/experiments/{experiment_key}/activate
  row('POST /v5/experiments/{experiment_key}/activate', 'the same variation evaluate answered, exposure logged', 200, activate, {
    check: (body, w) => expect(body).toMatchObject({ inExperiment: true, variationId: Number(w.memo.get('frank variation')) }),
  }),
  row('POST /v5/experiments/{experiment_key}/activate', 'no running experiment has the key', 404, (w) => ({
    ...activate(w),
    url: `/v5/experiments/${UNKNOWN}/activate`,
  }), { code: 4200 }),
  noToken('POST /v5/experiments/{experiment_key}/activate', activate),

  // GET /v5/experiments/{experiment_key}/results
  // Exposures reach the results through the background log reader: let it catch up first.
  row('GET /v5/experiments/{experiment_key}/results', "counts the activated user in their variation", 200, async (w) => {
    await w.t.container.background.settle();
    return one('/results')(w);
  }, {
    check: reads<ResultsJson>((body, w) => {
      const users = [0, 0];
      users[Number(w.memo.get('frank variation'))] = 1;
      expect(body).toMatchObject({ experiment_key: KEY, status: 'running', users, analysis: null });
      expect(body.metrics.map((m) => m.key)).toEqual(['saves_per_user']);
      expect(body.note).toMatch(/at least 2 exposed users/);
    }),
  }),
  row('GET /v5/experiments/{experiment_key}/results', 'pre_period_days out of range', 400, async (w) => ({
    ...(await one('/results')(w)),
    url: withQuery(`/v5/experiments/${KEY}/results`, { pre_period_days: 91 }),
  }), { code: 1 }),
  row('GET /v5/experiments/{experiment_key}/results', 'unknown key', 404, unknown('/results'), { code: 4200 }),
  row('GET /v5/experiments/{experiment_key}/results', 'a token without experiments:admin', 403, asBob(one('/results')), { code: 3 }),

  // POST /v5/experiments/{experiment_key}/stop
  row('POST /v5/experiments/{experiment_key}/stop', 'stops assigning users', 200, one('/stop'), {
    check: reads<ExperimentJson>((body) => {
      expect(body).toMatchObject({ key: KEY, status: 'stopped' });
      expect(body.stopped_at).toEqual(expect.any(String));
    }),
  }),
  row('POST /v5/experiments/{experiment_key}/activate', 'a stopped experiment is no longer served', 404, activate, { code: 4200 }),
  row('POST /v5/experiments/{experiment_key}/stop', 'unknown key', 404, unknown('/stop'), { code: 4200 }),
  row('POST /v5/experiments/{experiment_key}/stop', 'a token without experiments:admin', 403, asBob(one('/stop')), { code: 3 }),

  // GET /v5/experiments
  row('GET /v5/experiments', 'lists the experiment', 200, list, {
    check: reads<ListJson>((body) => expect(keysOf(body)).toEqual([KEY])),
  }),
  row('GET /v5/experiments', 'filtered by status', 200, async (w) => ({ ...(await list(w)), url: withQuery('/v5/experiments', { status: 'running' }) }), {
    check: (body) => expect(body).toEqual({ items: [], bookmark: null }),
  }),
  row('GET /v5/experiments', 'malformed bookmark', 400, async (w) => ({ ...(await list(w)), url: withQuery('/v5/experiments', { bookmark: 'not-a-bookmark' }) }), { code: 4001 }),
  row('GET /v5/experiments', 'a token without experiments:admin', 403, asBob(list), { code: 3 }),

  // DELETE /v5/experiments/{experiment_key}
  row('DELETE /v5/experiments/{experiment_key}', 'a token without experiments:admin', 403, asBob(one()), { code: 3 }),
  row('DELETE /v5/experiments/{experiment_key}', 'archives it', 204, one()),
  row('DELETE /v5/experiments/{experiment_key}', 'already archived', 409, one(), { code: 4205 }),
  row('DELETE /v5/experiments/{experiment_key}', 'unknown key', 404, unknown(), { code: 4200 }),
  row('GET /v5/experiments/{experiment_key}', 'an archived experiment is still readable', 200, one(), {
    check: reads<ExperimentJson>((body) => {
      expect(body).toMatchObject({ key: KEY, status: 'stopped' });
      expect(body.archived_at).toEqual(expect.any(String));
    }),
  }),
  row('GET /v5/experiments', 'archived ones are hidden', 200, list, {
    check: (body) => expect(body).toEqual({ items: [], bookmark: null }),
  }),
  row('GET /v5/experiments', 'unless asked for', 200, async (w) => ({ ...(await list(w)), url: withQuery('/v5/experiments', { include_archived: 'true' }) }), {
    check: reads<ListJson>((body) => expect(keysOf(body)).toEqual([KEY])),
  }),
  row('PATCH /v5/experiments/{experiment_key}', 'an archived experiment', 409, async (w) => ({ ...(await one()(w)), payload: { name: 'x' } }), { code: 4205 }),

  // GET /v5/experiments/metrics
  row('GET /v5/experiments/metrics', 'the metrics experiments can report', 200, (w) => ({ url: '/v5/experiments/metrics', as: w.frank }), {
    check: reads<ListJson>((body) => {
      const keys = body.items.map((m) => `${m.key}:${m.type}`);
      expect(keys).toEqual(expect.arrayContaining(['saves_per_user:mean', 'saved_at_least_once:proportion', 'saves_per_impression:ratio']));
    }),
  }),
  noToken('GET /v5/experiments/metrics', (w) => ({ url: '/v5/experiments/metrics', as: w.frank })),

  // POST /v5/experiments/analyze
  row('POST /v5/experiments/analyze', "gbstats' lift for a mean metric", 200, analyze(meanOf([GB_CONTROL, GB_TREATMENT])), {
    check: reads<AnalysisJson>((body) => {
      const treatment = body.metrics[0]!.variations[1]!;
      // gbstats test_tests.py: absolute lift 0.29 [0.04538, 0.53462], p 0.02016.
      expect(treatment.absolute.estimate).toBeCloseTo(0.29, 5);
      expect(treatment.absolute.p_value).toBeCloseTo(0.02016, 5);
      expect(treatment.absolute.significant).toBe(true);
      expect(body.srm.users).toEqual([3407, 3461]);
    }),
  }),
  row('POST /v5/experiments/analyze', 'a variation with fewer than two units', 400, analyze(meanOf([{ n: 1, sum: 1, sum_squares: 1 }, GB_TREATMENT])), { code: 4210 }),
  row('POST /v5/experiments/analyze', 'sums that cannot exist', 400, analyze(meanOf([{ n: 10, sum: 10, sum_squares: 1 }, GB_TREATMENT])), { code: 4211 }),
  row('POST /v5/experiments/analyze', 'a mean without sum_squares', 400, analyze(meanOf([{ n: 10, sum: 10 }, GB_TREATMENT])), { code: 4212 }),
  row('POST /v5/experiments/analyze', 'an expected split of zeros', 400, analyze({ ...meanOf([GB_CONTROL, GB_TREATMENT]), srm_weights: [0, 0] }), { code: 4213 }),
  row('POST /v5/experiments/analyze', 'alpha out of range', 400, analyze({ ...meanOf([GB_CONTROL, GB_TREATMENT]), alpha: 0.9 }), { code: 1 }),
  noToken('POST /v5/experiments/analyze', analyze(meanOf([GB_CONTROL, GB_TREATMENT]))),
];
