// Helpers for the experiment suites: an app with an administrator, experiments created and started
// through the admin API, and engagement events stored for users.
import type { LightMyRequestResponse } from 'fastify';
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.js';
import { insertEngagementEvents, type EngagementEventInput } from '../../src/experiments/demo/engagement-events.repository.js';

export const ADMIN = 'boss';

export interface ExperimentWorld {
  t: TestApp;
  admin: TestUser;
}

/** An app with an administrator (`admin`: their token holds every v5 scope and experiments:admin). */
export async function createExperimentWorld(env: Record<string, string> = {}): Promise<ExperimentWorld> {
  const t = await createTestApp(env);
  const admin = await t.signUpAdmin(ADMIN);
  return { t, admin };
}

export function expectStatus(res: LightMyRequestResponse, status: number): LightMyRequestResponse {
  if (res.statusCode !== status) throw new Error(`expected ${status}, got ${res.statusCode}: ${res.body}`);
  return res;
}

/** Creates (and by default starts) an experiment through the admin API; answers its JSON. */
export async function createExperiment(
  world: ExperimentWorld,
  body: Record<string, unknown>,
  options: { start?: boolean } = {},
): Promise<Record<string, unknown>> {
  const created = expectStatus(await world.t.request({ method: 'POST', url: '/v5/experiments', as: world.admin, payload: body }), 201);
  if (options.start === false) return created.json();
  return expectStatus(await world.t.request({ method: 'POST', url: `/v5/experiments/${String(body.key)}/start`, as: world.admin }), 200).json();
}

/** Activates an experiment for a user (logging their exposure); answers the result. */
export async function activate(t: TestApp, user: TestUser, key: string, attributes?: Record<string, unknown>) {
  const res = expectStatus(
    await t.request({ method: 'POST', url: `/v5/experiments/${key}/activate`, as: user, payload: attributes ? { attributes } : {} }),
    200,
  );
  return res.json<{ inExperiment: boolean; variationId: number; value: unknown; key: string; hashUsed: boolean }>();
}

/** Stores engagement events (impressions, saves...) for users, as the events pipeline would. */
export async function recordEvents(t: TestApp, events: EngagementEventInput[]): Promise<void> {
  await insertEngagementEvents(t.container.db, t.container.ids, events);
}
