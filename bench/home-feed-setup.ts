// What the home feed benchmark prepares before the server starts, in the bench process: a population
// of viewers ranked for a Zipf draw (with tokens), and exact database statement counts per feed
// request, taken in process over the same Zipf stream: requests are sent one at a time to an app
// whose background side (change stream, jobs, experiment refresh) is not started, so every statement
// sent meanwhile is the request's.
import { sql } from 'kysely';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createContainer, type Container } from '../src/container.js';
import { Rng } from '../src/dataset/prng.js';
import { AliasTable, zipfWeights } from '../src/dataset/sampling.js';
import { decodePosition, snapshotKey } from '../src/feed/home/home-feed-cursor.js';
import { LIST_CACHE } from '../src/feed/home/home-feed.service.js';
import type { BenchRequest } from './scenarios.js';

export interface FeedViewer {
  id: string;
  username: string;
  token: string;
}

export const HOME_FEED_QUERY = `query HomeFeed($first: Int!) {
  homeFeed(first: $first) {
    edges { node { id entityId title altText dominantColor media { images { image600x { url width height } } } pinner { username } board { name } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

export class ZipfViewers {
  private readonly table: AliasTable;
  constructor(
    readonly viewers: readonly FeedViewer[],
    exponent: number,
  ) {
    this.table = new AliasTable(zipfWeights(viewers.length, exponent));
  }
  pick(rng: Rng): FeedViewer {
    return this.viewers[this.table.sample(rng)]!;
  }
}

export function feedPage(viewer: FeedViewer, bookmark?: string): BenchRequest {
  const query = bookmark ? `?page_size=25&bookmark=${bookmark}` : '?page_size=25';
  return { method: 'GET', path: `/v5/feeds/home${query}`, headers: { authorization: `Bearer ${viewer.token}` } };
}

export function feedGraphql(viewer: FeedViewer): BenchRequest {
  return {
    method: 'POST',
    path: '/graphql',
    headers: { authorization: `Bearer ${viewer.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ query: HOME_FEED_QUERY, variables: { first: 25 } }),
  };
}

/** Opens the benchmark's database in this process (close it before the server starts on PGlite). */
export async function openContainer(dataDir: string, databaseUrl: string | undefined): Promise<Container> {
  const config = loadConfig({ RATE_LIMITS: 'off', ...process.env, DATA_DIR: dataDir, DATABASE_URL: databaseUrl ?? '', SEED_DEMO: 'false', LOG_LEVEL: 'warn' });
  return createContainer(config);
}

/** `count` people who follow someone, in a fixed hash order (rank 0 is the most active under Zipf), with tokens. */
export async function feedViewers(container: Container, count: number): Promise<FeedViewer[]> {
  const rows = await sql<{ id: string; username: string }>`
    SELECT id::text AS id, username FROM users WHERE following_count > 0 ORDER BY hashint8(id), id LIMIT ${count}
  `.execute(container.db);
  const viewers: FeedViewer[] = [];
  for (const row of rows.rows) viewers.push({ ...row, token: (await container.services.tokens.issueFor(row.id)).access_token });
  return viewers;
}

export interface StatementStats {
  requests: number;
  mean: number;
  p50: number;
  max: number;
  /** Mean request time in the bench process (no HTTP), ms. */
  meanMs: number;
  /** Mean statements per request by what they read or write (see STATEMENT_KINDS). */
  byKind: Record<string, number>;
}

/** What a statement is for, from its text: the first matching pattern names it. */
const STATEMENT_KINDS: Array<[string, RegExp]> = [
  ['token', /oauth_tokens/],
  ['activity', /user_activity/],
  ['experiments', /experiment/],
  ['following timeline', /feed_timeline|AS kind, u\.id::text|SELECT DISTINCT id FROM|JOIN users author|follower_count > /],
  ['home feed: interests', /WITH recent_saves|WITH ORDINALITY AS wanted|pin_count > 0/],
  ['home feed: seen pins', /kind = 'impression'/],
  ['home feed: candidates', /AS topic,/],
  ['home feed: page pins', /"images"\."width"/],
  ['users, boards, sections by id (GraphQL relations)', /from "users"|from "boards"|from "board_sections"/],
];

function kindOf(text: string): string {
  return STATEMENT_KINDS.find(([, pattern]) => pattern.test(text))?.[0] ?? 'other';
}

export interface StatementReport {
  firstPageNewViewer: StatementStats;
  firstPageRepeatViewer: StatementStats;
  nextPageCachedList: StatementStats;
  nextPageRebuiltList: StatementStats;
  graphqlFirstPage: StatementStats;
}

function stats(samples: Array<{ statements: number; ms: number; kinds: string[] }>): StatementStats {
  const sorted = samples.map((sample) => sample.statements).sort((a, b) => a - b);
  const mean = (values: number[]) => (values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length);
  return {
    requests: samples.length,
    mean: mean(sorted),
    p50: sorted[Math.floor(sorted.length / 2)] ?? 0,
    max: sorted[sorted.length - 1] ?? 0,
    meanMs: mean(samples.map((sample) => sample.ms)),
    byKind: meanByKind(samples.map((sample) => sample.kinds)),
  };
}

function meanByKind(requests: string[][]): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const kinds of requests) for (const kind of kinds) totals[kind] = (totals[kind] ?? 0) + 1;
  return Object.fromEntries(Object.entries(totals).map(([kind, total]) => [kind, total / Math.max(1, requests.length)]));
}

/**
 * Sends `requests` first pages (viewers drawn Zipf-wise), a next page after each, the same next page
 * again after its list was dropped from the cache (rebuilt from the bookmark), and as many GraphQL
 * first pages, counting each request's statements. The related-pins graph is not loaded here, so its
 * own statements are not part of these counts.
 */
export async function countStatements(container: Container, zipf: ZipfViewers, requests: number, seed: string): Promise<StatementReport> {
  const app = await buildApp(container);
  await app.ready();
  const counted = async (send: () => Promise<{ statusCode: number; body: string }>) => {
    const kinds: string[] = [];
    const stop = container.database.statements.watch((text) => {
      kinds.push(kindOf(text));
    });
    const started = performance.now();
    try {
      const response = await send();
      if (response.statusCode !== 200) throw new Error(`home feed answered ${response.statusCode}: ${response.body.slice(0, 300)}`);
      return { statements: kinds.length, kinds, ms: performance.now() - started, body: response.body };
    } finally {
      stop();
    }
  };
  const inject = (request: BenchRequest) =>
    app.inject({ method: request.method, url: request.path, headers: request.headers, ...(request.body ? { payload: request.body } : {}) });

  const rng = Rng.stream(seed, 'home-feed-statements');
  const seen = new Set<string>();
  type Sample = { statements: number; ms: number; kinds: string[] };
  const samples: Record<'firstNew' | 'firstRepeat' | 'nextCached' | 'nextRebuilt' | 'graphql', Sample[]> = {
    firstNew: [],
    firstRepeat: [],
    nextCached: [],
    nextRebuilt: [],
    graphql: [],
  };
  try {
    for (let index = 0; index < requests; index += 1) {
      const viewer = zipf.pick(rng);
      const first = await counted(() => inject(feedPage(viewer)));
      (seen.has(viewer.id) ? samples.firstRepeat : samples.firstNew).push(first);
      seen.add(viewer.id);
      const bookmark = (JSON.parse(first.body) as { bookmark: string | null }).bookmark;
      if (bookmark) {
        samples.nextCached.push(await counted(() => inject(feedPage(viewer, bookmark))));
        await container.background.cache.invalidate(LIST_CACHE, [snapshotKey(viewer.id, decodePosition(bookmark))]);
        samples.nextRebuilt.push(await counted(() => inject(feedPage(viewer, bookmark))));
      }
      samples.graphql.push(await counted(() => inject(feedGraphql(viewer))));
    }
  } finally {
    await app.close();
  }
  return {
    firstPageNewViewer: stats(samples.firstNew),
    firstPageRepeatViewer: stats(samples.firstRepeat),
    nextPageCachedList: stats(samples.nextCached),
    nextPageRebuiltList: stats(samples.nextRebuilt),
    graphqlFirstPage: stats(samples.graphql),
  };
}

