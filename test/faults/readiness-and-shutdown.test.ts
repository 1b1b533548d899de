// What a load balancer and a process supervisor see when a dependency is unreachable: Corkboard starts
// and serves without Redis, and says so in /readyz (degraded, still in rotation: every request is
// still answered correctly from the database); without its database it is unready, within a bounded
// time even when the database does not answer at all (a blackhole). And whatever is unreachable,
// SIGTERM ends the process within SHUTDOWN_TIMEOUT_MS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep } from './harness/commands.js';
import type { CorkboardProcess } from './harness/corkboard-process.js';
import { apiOf, report, startFaultWorld, type FaultWorld } from './harness/fault-world.js';

let world: FaultWorld;

beforeAll(async () => {
  world = await startFaultWorld({ redis: true });
});
afterAll(async () => {
  await world?.teardown.run();
});

const SHUTDOWN_TIMEOUT_MS = 4000;

/** SIGTERM, then how long until the process exited, and how. */
async function timedShutdown(server: CorkboardProcess): Promise<{ ms: number; code: number | null }> {
  const sent = Date.now();
  server.signal('SIGTERM');
  const exit = await Promise.race([server.exited, sleep(SHUTDOWN_TIMEOUT_MS + 15_000).then(() => undefined)]);
  if (!exit) throw new Error(`still running ${SHUTDOWN_TIMEOUT_MS + 15_000} ms after SIGTERM:\n${server.describe()}`);
  return { ms: exit.at - sent, code: exit.code };
}

describe('Redis unreachable', () => {
  for (const fault of ['refuse', 'blackhole'] as const) {
    it(`(${fault === 'refuse' ? 'connections refused' : 'a blackhole'}): starts, serves, reports itself degraded, and shuts down in time`, async () => {
      world.redisProxy!.pass();
      world.redisProxy!.cut();
      world.redisProxy![fault]();
      try {
        const server = await world.startServer({ env: { SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS) } });
        const api = apiOf(server);
        const user = await api.signUp(`noredis_${fault}`);
        const boardId = await api.createBoard(user, 'Without Redis');
        const pin = await api.request('POST', '/v5/pins', {
          token: user.token,
          body: { board_id: boardId, title: 'made without Redis', link: 'https://example.com/x', media_source: { source_type: 'image_url', url: 'https://example.invalid/x.png' } },
        });
        // (the image URL cannot be fetched here; what matters is an answer, not a hang)
        expect(pin.status).toBeLessThan(500);
        const readyStarted = Date.now();
        const ready = await api.request('GET', '/readyz', { timeoutMs: 5000 });
        const readyMs = Date.now() - readyStarted;
        expect(ready.status).toBe(200);
        expect(ready.body).toEqual({ status: 'degraded', database: 'ok', redis: 'unreachable' });
        expect(readyMs).toBeLessThan(2000);

        const shutdown = await timedShutdown(server);
        report(`Redis unreachable (${fault}) at start`, { readyzMs: readyMs, shutdownMs: shutdown.ms, exitCode: shutdown.code, shutdownTimeoutMs: SHUTDOWN_TIMEOUT_MS });
        expect(shutdown.code).toBe(0);
        expect(shutdown.ms).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
      } finally {
        world.redisProxy!.pass();
      }
    });
  }

  it('is reported as soon as Redis goes away, and ready again when it is back', async () => {
    world.redisProxy!.pass();
    const server = await world.startServer({ env: { SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS) } });
    const api = apiOf(server);
    expect((await api.request('GET', '/readyz')).body).toEqual({ status: 'ready', database: 'ok', redis: 'ok' });
    await world.redis!.stop('SIGKILL');
    try {
      const degraded = await api.request('GET', '/readyz', { timeoutMs: 5000 });
      expect(degraded.status).toBe(200);
      expect(degraded.body).toEqual({ status: 'degraded', database: 'ok', redis: 'unreachable' });
    } finally {
      await world.redis!.startServer();
    }
    const back = Date.now();
    let body: unknown;
    while (Date.now() - back < 15_000) {
      body = (await api.request('GET', '/readyz')).body;
      if ((body as { status?: string }).status === 'ready') break;
      await sleep(100);
    }
    expect(body).toEqual({ status: 'ready', database: 'ok', redis: 'ok' });
    report('Redis restarted (SIGKILL, then started again)', { readyAgainAfterMs: Date.now() - back });
    const shutdown = await timedShutdown(server);
    expect(shutdown.code).toBe(0);
  });
});

describe('the database unreachable', () => {
  it('(a blackhole): a request waits at most DATABASE_QUERY_TIMEOUT_MS (or the connect timeout), then answers 503', async () => {
    world.pgProxy.pass();
    const server = await world.startServer({ env: { DATABASE_QUERY_TIMEOUT_MS: '1500' } });
    const api = apiOf(server);
    const user = await api.signUp('waiter');
    world.pgProxy.blackhole();
    try {
      const started = Date.now();
      const reply = await api.request('POST', '/v5/boards', { token: user.token, body: { name: 'In the dark' }, timeoutMs: 30_000 });
      const waitedMs = Date.now() - started;
      report('database blackholed: one write', { queryTimeoutMs: 1500, answer: reply.status, waitedMs });
      expect(reply.status).toBe(503);
      expect(reply.retryAfter).toBe('1');
      // The statement's 1.5 s, or a new connection's 5 s connect timeout, and some slack for a busy machine.
      expect(waitedMs).toBeLessThan(9000);
    } finally {
      world.pgProxy.pass();
    }
    // Healed: the next write succeeds.
    expect((await api.request('POST', '/v5/boards', { token: user.token, body: { name: 'In the light' } })).status).toBe(201);
    await server.kill('SIGTERM');
  });

  it('(a blackhole): /readyz answers 503 within its bound, and SIGTERM still ends the process in time', async () => {
    world.pgProxy.pass();
    const server = await world.startServer({ env: { SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS) } });
    const api = apiOf(server);
    const user = await api.signUp('noreach');
    world.pgProxy.blackhole();
    try {
      // A request whose statements will never be answered, in flight when SIGTERM arrives.
      const stuck = api.request('GET', '/v5/user_account', { token: user.token, timeoutMs: 30_000 });
      const readyStarted = Date.now();
      const ready = await api.request('GET', '/readyz', { timeoutMs: 10_000 });
      const readyMs = Date.now() - readyStarted;
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({ status: 'unavailable', database: 'unreachable' });
      expect(readyMs).toBeLessThan(3000);
      expect((await api.request('GET', '/healthz')).status).toBe(200);

      const shutdown = await timedShutdown(server);
      const stuckReply = await stuck;
      report('database blackholed', { readyzMs: readyMs, shutdownMs: shutdown.ms, exitCode: shutdown.code, inFlightAnswer: stuckReply.status || stuckReply.error });
      expect(shutdown.ms).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
      // A request the database never answered is answered 503 rather than dropped.
      expect(stuckReply.status).toBe(503);
    } finally {
      world.pgProxy.pass();
    }
  });
});
