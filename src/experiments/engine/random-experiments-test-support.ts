// Deterministic random experiments and users in GrowthBook's shapes, for comparing this engine with
// GrowthBook's SDK (test/experiments) and for the assignment benchmark (bench/). Seeded, so a run
// can be repeated exactly.
import type { Attributes, Condition, Experiment, Filter, Namespace } from './types.js';

/** mulberry32: a small, fast, seedable PRNG (plenty for choosing test shapes). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COUNTRIES = ['US', 'FR', 'DE', 'BR', 'JP', 'IN', 'GB'];
const INTERESTS = ['food', 'travel', 'diy', 'fashion', 'garden', 'art', 'cars'];
const NAMESPACES = ['home-feed', 'search', 'closeup'];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

const CONDITIONS: readonly Condition[] = [
  { country: { $in: ['US', 'GB', 'FR'] } },
  { account_type: 'PINNER' },
  { app_version: { $vgte: '2.3.0' } },
  { $or: [{ country: 'DE' }, { age: { $gte: 30 } }] },
  { interests: { $elemMatch: { $eq: 'travel' } } },
  { username: { $regex: '^user-[0-9]*[02468]$' } },
  { $and: [{ age: { $lt: 50 } }, { country: { $nin: ['JP'] } }] },
  { deviceId: { $exists: true } },
  { $not: { account_type: 'BUSINESS' } },
  { interests: { $size: { $gt: 1 } } },
];

function weightsFor(random: () => number, count: number): number[] {
  const raw = Array.from({ length: count }, () => 0.2 + random());
  const total = raw.reduce((sum, w) => sum + w, 0);
  // Four decimals, as an admin would type them; the sum stays within GrowthBook's 1 +- 0.01.
  return raw.map((w) => Math.round((w / total) * 10000) / 10000);
}

export function randomExperiment(random: () => number, index: number): Experiment {
  const count = 2 + Math.floor(random() * 3);
  const experiment: Experiment = {
    key: `exp-${index}`,
    variations: Array.from({ length: count }, (_, v) => (index % 3 === 0 ? { variant: v, size: 10 * (v + 1) } : index % 3 === 1 ? v : `v${v}`)),
    meta: Array.from({ length: count }, (_, v) => ({ key: v === 0 ? 'control' : `treatment-${v}`, name: `Variation ${v}` })),
    hashVersion: random() < 0.7 ? 2 : 1,
    status: 'running',
  };
  if (random() < 0.6) experiment.weights = weightsFor(random, count);
  if (random() < 0.5) experiment.coverage = Math.round((0.2 + random() * 0.8) * 100) / 100;
  if (random() < 0.3) experiment.seed = `seed-${Math.floor(random() * 1e6)}`;
  if (random() < 0.1) experiment.hashAttribute = 'deviceId';
  if (random() < 0.5) experiment.condition = pick(random, CONDITIONS);
  if (random() < 0.3) {
    const start = Math.floor(random() * 5) / 10;
    const namespace: Namespace = [pick(random, NAMESPACES), start, start + 0.5];
    experiment.namespace = namespace;
  }
  if (random() < 0.15) {
    // A holdout share expressed as a GrowthBook filter: users hashing below it are left out.
    const share = Math.round(random() * 20) / 100;
    const filter: Filter = { seed: `holdout:${experiment.key}`, ranges: [[share, 1]], hashVersion: 2 };
    if (experiment.hashAttribute) filter.attribute = experiment.hashAttribute;
    experiment.filters = [filter];
  }
  return experiment;
}

export function randomExperiments(count: number, seed: number): Experiment[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => randomExperiment(random, i));
}

export function randomUser(random: () => number, index: number): Attributes {
  const user: Attributes = {
    id: String(100000 + Math.floor(random() * 9e12)),
    username: `user-${index}`,
    account_type: random() < 0.9 ? 'PINNER' : 'BUSINESS',
    country: pick(random, COUNTRIES),
    age: 16 + Math.floor(random() * 60),
    app_version: `${1 + Math.floor(random() * 3)}.${Math.floor(random() * 12)}.${Math.floor(random() * 5)}`,
    interests: INTERESTS.filter(() => random() < 0.3),
  };
  if (random() < 0.5) user.deviceId = `device-${Math.floor(random() * 1e9).toString(36)}`;
  return user;
}

export function randomUsers(count: number, seed: number): Attributes[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => randomUser(random, i));
}
