// Experiments through GraphQL: the same services and rules as /v5/experiments. Administrators create,
// change, start and stop experiments and read results (with a token holding experiments:admin); others get MISSING_SCOPE for those and may read
// their assignments, activate (logging their exposure) and analyse sums. Bad input answers the
// REST codes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestUser } from '../support/test-app.js';
import { codes, gql } from '../../src/graphql/graphql-test-support.js';
import { createExperimentWorld, expectStatus, type ExperimentWorld } from './experiment-test-support.js';

let world: ExperimentWorld;
let member: TestUser;

beforeAll(async () => {
  world = await createExperimentWorld();
  member = await world.t.signUp('member');
});
afterAll(async () => world.t.close());

const CREATE = /* GraphQL */ `
  mutation Create($input: CreateExperimentInput!) {
    createExperiment(input: $input) { entityId key status weights hashAttribute variations { key name value } condition metrics version }
  }
`;

const input = {
  key: 'graphql-exp',
  name: 'Through GraphQL',
  variations: [
    { key: 'control', value: { columns: 2 } },
    { key: 'wide', value: { columns: 3 } },
  ],
  weights: [0.5, 0.5],
  condition: { account_type: { $in: ['PINNER', 'BUSINESS'] } },
  metrics: ['saves_per_user', 'saves_per_impression'],
};

describe('experiments through GraphQL', () => {
  it('lets an administrator create, update and start one, with the REST rules', async () => {
    const created = await gql<{ createExperiment: Record<string, unknown> }>(world.t, world.admin, CREATE, { input });
    expect(created.errors).toEqual([]);
    expect(created.data!.createExperiment).toMatchObject({
      key: 'graphql-exp',
      status: 'DRAFT',
      hashAttribute: 'id',
      variations: [
        { key: 'control', name: 'control', value: { columns: 2 } },
        { key: 'wide', name: 'wide', value: { columns: 3 } },
      ],
      condition: input.condition,
      version: 1,
    });
    // The same definition is what REST answers.
    const rest = expectStatus(await world.t.request({ method: 'GET', url: '/v5/experiments/graphql-exp', as: world.admin }), 200).json<Record<string, unknown>>();
    expect(rest).toMatchObject({ id: created.data!.createExperiment.entityId, condition: input.condition });

    const updated = await gql<{ updateExperiment: { weights: number[]; version: number } }>(
      world.t,
      world.admin,
      'mutation { updateExperiment(key: "graphql-exp", input: { weights: [0.4, 0.6], expectedVersion: 1 }) { weights version } }',
    );
    expect(updated.data!.updateExperiment).toEqual({ weights: [0.4, 0.6], version: 2 });
    const stale = await gql(world.t, world.admin, 'mutation { updateExperiment(key: "graphql-exp", input: { name: "x", expectedVersion: 1 }) { version } }');
    expect(codes(stale)).toEqual(['EXPERIMENT_VERSION_CONFLICT']);

    const started = await gql<{ startExperiment: { status: string; phaseStartedAt: string } }>(
      world.t,
      world.admin,
      'mutation { startExperiment(key: "graphql-exp") { status phaseStartedAt } }',
    );
    expect(started.data!.startExperiment.status).toBe('RUNNING');
    const listed = await gql<{ experiments: { edges: Array<{ node: { key: string } }> } }>(
      world.t,
      world.admin,
      '{ experiments(status: RUNNING, first: 5) { edges { node { key } } pageInfo { hasNextPage } } }',
    );
    expect(listed.data!.experiments.edges.map((e) => e.node.key)).toEqual(['graphql-exp']);
  });

  it('refuses invalid definitions with the REST codes', async () => {
    const badWeights = await gql(world.t, world.admin, CREATE, { input: { ...input, key: 'bad-weights', weights: [0.9, 0.9] } });
    expect(codes(badWeights)).toEqual(['INVALID_EXPERIMENT']);
    expect(badWeights.errors[0]!.extensions.v5Code).toBe(4201);
    const badKey = await gql(world.t, world.admin, CREATE, { input: { ...input, key: 'Not A Key' } });
    expect(codes(badKey)).toEqual(['INVALID_PARAMETERS']);
  });

  it('answers MISSING_SCOPE to tokens without experiments:admin for management and results', async () => {
    for (const query of [
      '{ experiments { edges { node { key } } } }',
      '{ experiment(key: "graphql-exp") { key } }',
    ]) {
      expect(codes(await gql(world.t, member, query))).toEqual(['MISSING_SCOPE']);
    }
    expect(codes(await gql(world.t, member, CREATE, { input: { ...input, key: 'member-made' } }))).toEqual(['MISSING_SCOPE']);
    expect(codes(await gql(world.t, member, 'mutation { stopExperiment(key: "graphql-exp") { status } }'))).toEqual(['MISSING_SCOPE']);
    expect(codes(await gql(world.t, null, '{ experimentAssignments { experimentKey } }'))).toEqual(['AUTHENTICATION_FAILED']);
  });

  it('gives anyone their assignments and an activation that logs one exposure, shown in the results', async () => {
    const assignments = await gql<{ experimentAssignments: Array<{ experimentKey: string; variationId: number; value: unknown; inExperiment: boolean }> }>(
      world.t,
      member,
      '{ experimentAssignments(attributes: { country: "FR" }) { experimentKey variationKey variationId value inExperiment hashUsed } }',
    );
    expect(assignments.errors).toEqual([]);
    const assignment = assignments.data!.experimentAssignments.find((a) => a.experimentKey === 'graphql-exp')!;
    expect(assignment.inExperiment).toBe(true);

    for (let i = 0; i < 2; i += 1) {
      const activated = await gql<{ activateExperiment: { variationId: number; value: unknown } }>(
        world.t,
        member,
        'mutation { activateExperiment(key: "graphql-exp") { variationId value } }',
      );
      expect(activated.data!.activateExperiment).toEqual({ variationId: assignment.variationId, value: assignment.value });
    }
    // The exposure reaches the results through the background pipeline.
    await world.t.container.background.settle();

    const results = await gql<{ experiment: { results: { users: number[]; srm: { mismatch: boolean }; analysis: null; note: string; exposuresOverTime: Array<{ counts: number[] }> } } }>(
      world.t,
      world.admin,
      '{ experiment(key: "graphql-exp") { results(prePeriodDays: 0) { users srm { mismatch pValue } analysis { alpha } note exposureUnit exposuresOverTime { start counts } } } }',
    );
    expect(results.errors).toEqual([]);
    const expectedUsers = [0, 0];
    expectedUsers[assignment.variationId] = 1;
    expect(results.data!.experiment.results.users).toEqual(expectedUsers);
    expect(results.data!.experiment.results.analysis).toBeNull();
    expect(results.data!.experiment.results.note).toMatch(/at least 2 exposed users/);
    expect(results.data!.experiment.results.exposuresOverTime.map((b) => b.counts)).toEqual([expectedUsers]);
  });

  it('analyses posted sums like POST /v5/experiments/analyze', async () => {
    const variables = {
      input: {
        metrics: [
          {
            key: 'revenue',
            type: 'MEAN',
            variations: [
              { n: 3407, sum: 1396.87, sumSquares: 52377.9767 },
              { n: 3461, sum: 2422.7, sumSquares: 134698.29 },
            ],
          },
        ],
        correction: 'NONE',
      },
    };
    const query = 'query A($input: ExperimentAnalysisInput!) { analyzeExperiment(input: $input) { correction srm { pValue } metrics { key type variations { n relative { estimate ciLow ciHigh pValue } } } } }';
    const analysis = await gql<{ analyzeExperiment: { metrics: Array<{ variations: Array<{ relative: { estimate: number; ciLow: number; ciHigh: number; pValue: number } | null }> }> } }>(
      world.t,
      member,
      query,
      variables,
    );
    expect(analysis.errors).toEqual([]);
    const relative = analysis.data!.analyzeExperiment.metrics[0]!.variations[1]!.relative!;
    expect([relative.estimate, relative.ciLow, relative.ciHigh, relative.pValue].map((v) => Number(v.toFixed(5)))).toEqual([0.70732, -0.03526, 1.44989, 0.06191]);

    const tooSmall = await gql(world.t, member, query, {
      input: { metrics: [{ key: 'm', type: 'MEAN', variations: [{ n: 1, sum: 1, sumSquares: 1 }, { n: 5, sum: 1, sumSquares: 1 }] }] },
    });
    expect(codes(tooSmall)).toEqual(['ANALYSIS_SAMPLE_TOO_SMALL']);
  });
});
