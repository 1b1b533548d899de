// The world a fuzz run starts from, made through the API as clients would make it: an owner with a
// PUBLIC, a PROTECTED and a SECRET board (sections and pins on each), a viewer collaborator on the
// SECRET one, a stranger with a board of their own, and an administrator with experiments. Its ids,
// usernames, keys, image paths and tokens fill the pool generated requests draw from. Also the run's
// settings (seed, number of requests) and the loop that sends requests in batches, checks each answer,
// and checks between batches that the server still answers /healthz at once.
import { createLogger } from '../../../src/platform/logging.js';
import { createBoard, createPin, createSection, followUser, inviteCollaborator, pathOf } from '../../support/fixtures.js';
import { createTestApp, type TestApp, type TestUser } from '../../support/test-app.js';
import type { Finding } from './oracle.js';
import { Pool } from './pool.js';
import type { Identity } from './rest-requests.js';

export { fuzzSettings, type FuzzSettings } from '../../support/fuzz-settings.js';

export interface World {
  t: TestApp;
  pool: Pool;
  tokens: Record<Identity, string | null>;
  /** Error-level log lines the server wrote (an unexpected failure is logged even when hidden from the client). */
  errorLogs: string[];
  close(): Promise<void>;
}

export async function createWorld(env: Record<string, string> = {}): Promise<World> {
  const errorLogs: string[] = [];
  const logger = createLogger({ level: 'error' }, { write: (line: string) => void errorLogs.push(line) });
  // Rate limits on (at the test apps' generous levels): every generated request goes through their hooks.
  const t = await createTestApp({ RATE_LIMITS: 'on', ...env }, { logger });
  const pool = new Pool();
  const owner = await t.signUp('olive');
  const stranger = await t.signUp('sam');
  const viewer = await t.signUp('vera');
  const admin = await t.signUpAdmin('ada');
  for (const user of [owner, stranger, viewer, admin]) pool.add('user', user.username);
  pool.add('user', 'nobody-here');

  for (const privacy of ['PUBLIC', 'PROTECTED', 'SECRET'] as const) {
    const board = await createBoard(t, owner, { name: `${privacy.toLowerCase()} things`, description: 'fixtures', privacy });
    pool.add('board', board.id);
    const section = await createSection(t, owner, board.id, 'a section');
    pool.add('section', section.id);
    for (const fields of [{ title: 'a pin' }, { board_section_id: section.id, title: 'in a section' }]) {
      const pin = await createPin(t, owner, board.id, fields);
      pool.add('pin', pin.id);
      for (const image of Object.values(pin.media.images)) pool.add('image', pathOf(image.url).replace(/^\/media\/images\//, ''));
    }
    if (privacy === 'SECRET') await inviteCollaborator(t, owner, board.id, viewer, 'viewer');
  }
  const strangerBoard = await createBoard(t, stranger, { name: 'elsewhere', privacy: 'PUBLIC' });
  pool.add('board', strangerBoard.id);
  const strangerPin = await createPin(t, stranger, strangerBoard.id, { title: 'theirs' });
  pool.add('pin', strangerPin.id);
  await followUser(t, owner, stranger.username);

  for (const key of ['draft-one', 'running-one']) {
    const created = await t.request({
      method: 'POST',
      url: '/v5/experiments',
      as: admin,
      payload: { key, name: key, variations: [{ key: 'control', value: 0 }, { key: 'treatment', value: 1 }], metrics: [] },
    });
    if (created.statusCode !== 201) throw new Error(`experiment: ${created.statusCode} ${created.body}`);
    pool.add('experiment', key);
  }
  const started = await t.request({ method: 'POST', url: '/v5/experiments/running-one/start', as: admin });
  if (started.statusCode !== 200) throw new Error(`start experiment: ${started.statusCode} ${started.body}`);
  pool.add('experiment', 'never-made');

  const refresh = await t.container.services.tokens.issueFor(stranger.id);
  pool.add('token', refresh.refresh_token);
  pool.add('token', 'not-a-refresh-token');

  const tokens: Record<Identity, string | null> = {
    anonymous: null,
    'bad-token': 'not-a-token\u0001',
    stranger: stranger.token,
    owner: owner.token,
    viewer: viewer.token,
    admin: admin.token,
  };
  return { t, pool, tokens, errorLogs, close: () => t.close() };
}

export type Sender<C> = (c: C, index: number) => Promise<{ request: string; status: number; body: string; problems: string[] }>;

export interface RunSummary {
  findings: Finding[];
  statuses: Map<number, number>;
  requests: number;
  slowestHealthMs: number;
  ms: number;
}

/** How long building the world may take. */
export const WORLD_TIMEOUT_MS = 180_000;
/** How long /healthz may take between batches: anything slower means a request held the process. */
export const HEALTH_BUDGET_MS = 2_000;
/** How long one fuzzed request may take before it counts as a hang. */
export const REQUEST_DEADLINE_MS = 15_000;
const BATCH = 50;
const CONCURRENCY = 4;

function withDeadline<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${REQUEST_DEADLINE_MS} ms: ${what}`)), REQUEST_DEADLINE_MS);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/** Sends `cases` in batches (a few at a time), checking /healthz after each batch. */
export async function runCases<C>(world: World, cases: readonly C[], send: Sender<C>): Promise<RunSummary> {
  const findings: Finding[] = [];
  const statuses = new Map<number, number>();
  let slowestHealthMs = 0;
  const started = performance.now();
  for (let first = 0; first < cases.length; first += BATCH) {
    const batch = cases.slice(first, first + BATCH);
    let next = 0;
    const worker = async () => {
      while (next < batch.length) {
        const index = first + next;
        const c = batch[next++]!;
        try {
          const answer = await withDeadline(send(c, index), `request ${index}`);
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
          for (const problem of answer.problems) findings.push({ index, problem, request: answer.request, status: answer.status, body: answer.body.slice(0, 500) });
        } catch (error) {
          findings.push({ index, problem: `no answer: ${(error as Error).message}`, request: JSON.stringify(c).slice(0, 1000), status: 0, body: '' });
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const healthStarted = performance.now();
    const health = await withDeadline(world.t.request({ method: 'GET', url: '/healthz' }), '/healthz');
    const healthMs = performance.now() - healthStarted;
    slowestHealthMs = Math.max(slowestHealthMs, healthMs);
    if (health.statusCode !== 200 || healthMs > HEALTH_BUDGET_MS) {
      findings.push({ index: first + batch.length - 1, problem: `/healthz answered ${health.statusCode} in ${Math.round(healthMs)} ms after this batch`, request: 'GET /healthz', status: health.statusCode, body: health.body });
    }
  }
  for (const line of world.errorLogs.splice(0)) findings.push({ index: -1, problem: 'the server logged an error', request: '', status: 0, body: line.slice(0, 1000) });
  return { findings, statuses, requests: cases.length, slowestHealthMs, ms: performance.now() - started };
}

/** One line per finding, with what it takes to send the same request again. */
export function describeFindings(findings: readonly Finding[], rerun: string): string {
  if (findings.length === 0) return 'no findings';
  const lines = findings.slice(0, 40).map((f) => `#${f.index} ${f.problem}\n    ${f.request.slice(0, 600)}\n    -> ${f.status} ${f.body.slice(0, 300)}`);
  return `${findings.length} findings (rerun: ${rerun}):\n${lines.join('\n')}${findings.length > 40 ? `\n... and ${findings.length - 40} more` : ''}`;
}

export function describeStatuses(statuses: Map<number, number>): string {
  return [...statuses.entries()]
    .sort(([a], [b]) => a - b)
    .map(([status, count]) => `${status}: ${count}`)
    .join(', ');
}

export type { TestUser };
