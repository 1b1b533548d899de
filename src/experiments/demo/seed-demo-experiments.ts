// The demo's experiments: the two experiments the product reads (home-feed-blend-rate and
// related-pins-step-budget), created and started through the admin service by the `demo` account,
// which the demo makes an administrator. So that their results pages have something to show, a week
// of simulated traffic comes with them: visitor accounts (which cannot sign in), assigned by the same
// engine, exposed over the last seven days, with impressions, close-ups, saves and hides before and
// after exposure. The blend-rate treatment is planted to lift saves per impression by 40%; the step
// budget's changes nothing, so its page shows what no effect looks like.
import type { Container } from '../../container.js';
import { ADMIN_SCOPES, type Viewer } from '../../platform/http/viewer.js';
import type { EngagementKind } from '../../platform/db/schema.js';
import { runExperiment } from '../engine/run.js';
import { seededRandom } from '../../demo/demo-images.js';
import { IdGenerator, MAX_SHARD } from '../../platform/ids.js';
import { toEngineExperiment, type ExperimentDefinition } from '../experiment.model.js';
import { HOME_FEED_BLEND_RATE, PRODUCT_EXPERIMENTS } from '../product-experiments.js';
import { DemoExperimentsRepository, type DemoExposure } from './demo-experiments.repository.js';
import { insertEngagementEvents, type EngagementEventInput } from './engagement-events.repository.js';

const DAY = 86_400_000;
const VISITORS = 600;
const DAYS = 7;
/**
 * Visitors' ids come from a shard of their own at a fixed time, so they are the same on every start
 * (hence their variations, and the demo's results) and never collide with ids the server makes.
 */
const VISITOR_IDS = () => new IdGenerator(MAX_SHARD, () => Date.UTC(2024, 0, 1));
/** The planted effect: treatment users of the blend-rate experiment save this much more per impression. */
const PLANTED_SAVE_LIFT = 0.4;

function poisson(random: () => number, lambda: number): number {
  const limit = Math.exp(-lambda);
  let k = 0;
  for (let product = random(); product > limit; product *= random()) k += 1;
  return k;
}

export interface DemoExperimentsSummary {
  experiments: string[];
  visitors: number;
  exposures: number;
  events: number;
}

export async function seedDemoExperiments(container: Container, person: Viewer, pinIds: readonly string[]): Promise<DemoExperimentsSummary> {
  const { services, repositories, ids, db } = container;
  await repositories.accounts.setAdmin(person.userId, true);
  // Acting as an administrator's token would: with the extension scope.
  const admin: Viewer = { ...person, scopes: new Set([...person.scopes, ...ADMIN_SCOPES]) };
  const definitions: ExperimentDefinition[] = [];
  for (const spec of PRODUCT_EXPERIMENTS) {
    await services.experimentAdmin.create(admin, {
      key: spec.key,
      name: spec.name,
      description: spec.description,
      variations: spec.variations,
      metrics: spec.metrics,
    });
    definitions.push(await services.experimentAdmin.start(admin, spec.key));
  }

  const random = seededRandom(20261122);
  const now = Date.now();
  const demo = new DemoExperimentsRepository(db);
  const visitorIds = VISITOR_IDS();
  const visitors = Array.from({ length: VISITORS }, (_, i) => ({ id: visitorIds.next(), username: `visitor${String(i + 1).padStart(3, '0')}` }));
  await demo.insertVisitors(visitors);

  const exposures: DemoExposure[] = [];
  const events: EngagementEventInput[] = [];
  const pin = () => (pinIds.length > 0 ? pinIds[Math.floor(random() * pinIds.length)]! : null);
  const add = (userId: string, kind: EngagementKind, count: number, from: number, to: number) => {
    for (let k = 0; k < count; k += 1) events.push({ userId, kind, pinId: pin(), surface: 'home_feed', occurredAt: new Date(from + random() * (to - from)) });
  };
  for (const visitor of visitors) {
    const attributes = { id: visitor.id, username: visitor.username, account_type: 'PINNER' };
    // A visitor's activity level: a few do most of the engaging, as on a real site.
    const activity = Math.exp(random() * 1.6 - 0.8);
    const exposedAt = now - random() * DAYS * DAY;
    let saveLift = 0;
    for (const definition of definitions) {
      const result = runExperiment(toEngineExperiment(definition), { attributes });
      if (!result.inExperiment) continue;
      exposures.push({ experimentId: definition.id, userId: visitor.id, variationIndex: result.variationId, at: new Date(exposedAt) });
      if (definition.key === HOME_FEED_BLEND_RATE.key && result.variationId === 1) saveLift = PLANTED_SAVE_LIFT;
    }
    // Two weeks before exposure (the CUPED covariate), then from exposure until now.
    const spans = [
      { from: exposedAt - 14 * DAY, to: exposedAt, lift: 0, days: 14 },
      { from: exposedAt, to: now, lift: saveLift, days: (now - exposedAt) / DAY },
    ];
    for (const span of spans) {
      const impressions = poisson(random, 3 * activity * span.days);
      add(visitor.id, 'impression', impressions, span.from, span.to);
      add(visitor.id, 'closeup', poisson(random, impressions * 0.12), span.from, span.to);
      add(visitor.id, 'save', poisson(random, impressions * 0.08 * (1 + span.lift)), span.from, span.to);
      add(visitor.id, 'hide', poisson(random, impressions * 0.01), span.from, span.to);
    }
  }
  await demo.insertExposures(exposures);
  await insertEngagementEvents(db, ids, events);
  await demo.backdateStart(
    definitions.map((d) => d.id),
    new Date(now - DAYS * DAY),
  );
  return { experiments: definitions.map((d) => d.key), visitors: visitors.length, exposures: exposures.length, events: events.length };
}
