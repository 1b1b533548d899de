// What a benchmark reads from the server's /metrics around a measured run: cache reads by namespace
// and outcome, home feed pages by how their list was obtained, garbage collection, related-pins walks
// and the longest event-loop delay.
/**
 * corkboard_cache_requests_total by namespace and outcome, corkboard_home_feed_pages_total by list,
 * and what else takes the server's time: garbage collection (seconds by kind), the related-pins
 * engine's walks (seconds and count, queueing included) and the event loop's longest delay since the
 * previous reading.
 */
export interface ServerCounters {
  cache: Record<string, Record<string, number>>;
  pages: Record<string, number>;
  gcSeconds: Record<string, number>;
  walks: { seconds: number; count: number };
  eventLoopMaxSeconds: number;
}

export async function readCounters(baseUrl: string): Promise<ServerCounters> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const counters: ServerCounters = { cache: {}, pages: {}, gcSeconds: {}, walks: { seconds: 0, count: 0 }, eventLoopMaxSeconds: 0 };
  for (const line of text.split('\n')) {
    const cache = /^corkboard_cache_requests_total\{namespace="([^"]+)",outcome="([^"]+)"\} (\S+)$/.exec(line);
    if (cache) (counters.cache[cache[1]!] ??= {})[cache[2]!] = Number(cache[3]);
    const pages = /^corkboard_home_feed_pages_total\{list="([^"]+)"\} (\S+)$/.exec(line);
    if (pages) counters.pages[pages[1]!] = Number(pages[2]);
    const gc = /^nodejs_gc_duration_seconds_sum\{kind="([^"]+)"\} (\S+)$/.exec(line);
    if (gc) counters.gcSeconds[gc[1]!] = Number(gc[2]);
    const walk = /^corkboard_related_walk_seconds_(sum|count) (\S+)$/.exec(line);
    if (walk) counters.walks[walk[1] === 'sum' ? 'seconds' : 'count'] = Number(walk[2]);
    const lag = /^nodejs_eventloop_lag_max_seconds (\S+)$/.exec(line);
    if (lag) counters.eventLoopMaxSeconds = Number(lag[1]);
  }
  return counters;
}

export interface CacheFigures {
  /** Per namespace: reads and the share answered by the local tier, by Redis, and loaded from the database. */
  namespaces: Record<string, { reads: number; localHit: number; remoteHit: number; miss: number; hitRatio: number }>;
  pages: Record<string, number>;
  /** Seconds the server spent collecting garbage, by kind. */
  gcSeconds: Record<string, number>;
  walks: { seconds: number; count: number };
  eventLoopMaxSeconds: number;
}

/** What happened between two readings of the counters. */
export function counterDelta(before: ServerCounters, after: ServerCounters): CacheFigures {
  const namespaces: CacheFigures['namespaces'] = {};
  for (const [namespace, outcomes] of Object.entries(after.cache)) {
    const delta = (outcome: string) => (outcomes[outcome] ?? 0) - (before.cache[namespace]?.[outcome] ?? 0);
    const localHit = delta('local_hit');
    const remoteHit = delta('remote_hit');
    const miss = delta('miss') + delta('remote_error');
    const reads = localHit + remoteHit + miss;
    if (reads > 0) namespaces[namespace] = { reads, localHit, remoteHit, miss, hitRatio: (localHit + remoteHit) / reads };
  }
  const pages: Record<string, number> = {};
  for (const [list, value] of Object.entries(after.pages)) pages[list] = value - (before.pages[list] ?? 0);
  const gcSeconds: Record<string, number> = {};
  for (const [kind, value] of Object.entries(after.gcSeconds)) gcSeconds[kind] = value - (before.gcSeconds[kind] ?? 0);
  const walks = { seconds: after.walks.seconds - before.walks.seconds, count: after.walks.count - before.walks.count };
  return { namespaces, pages, gcSeconds, walks, eventLoopMaxSeconds: after.eventLoopMaxSeconds };
}
