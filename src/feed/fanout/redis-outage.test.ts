// Redis going away and coming back, on the real Redis: the whole application talks to it through a
// TCP relay that this test cuts (every connection dropped, new ones refused) and restores. While it
// is down, timelines are answered from the database and pins can still be created; once it is back
// and the system settles, every pin acknowledged meanwhile is in its followers' stored timelines.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../../../test/support/test-app.js';
import { redisUrl } from '../../../test/support/redis.js';
import { createPin, makeBoard } from '../../pins/pin-test-support.js';
import { follow, settle, storedFor, timelineOf } from './fanout-test-support.js';

/** A relay to the real Redis that can be cut off and restored, like a Redis restart or a network fault. */
class CuttableRelay {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  constructor(private readonly target: URL) {}

  async open(): Promise<void> {
    if (this.server) return;
    this.server = net.createServer((client) => {
      const upstream = net.connect({ host: this.target.hostname, port: Number(this.target.port || 6379) });
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server?.close(() => resolve()) ?? resolve());
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }
}

describe.skipIf(!redisUrl)('Redis outage', () => {
  let relay: CuttableRelay;
  let t: TestApp;
  let ana: TestUser;
  let ben: TestUser;

  beforeAll(async () => {
    relay = new CuttableRelay(new URL(redisUrl!));
    await relay.open();
    t = await createTestApp({ REDIS_URL: `redis://127.0.0.1:${relay.port}` });
    ana = await t.signUp('ana');
    ben = await t.signUp('ben');
  });
  afterAll(async () => {
    await relay.open();
    await t.close();
    await relay.cut();
  });

  it('answers timelines from the database and takes new pins while Redis is down; fan-out catches up after', async () => {
    const boardId = await makeBoard(t, ana, 'Lighthouses');
    await follow(t, ben, ana);
    await timelineOf(t, ben);
    const before = await createPin(t, ana, boardId);
    await settle(t);
    expect(await storedFor(t, ben)).toEqual([before.id]);

    await relay.cut();
    await expect(storedFor(t, ben)).rejects.toThrow();
    expect(await timelineOf(t, ben)).toEqual([before.id]);
    const during = await createPin(t, ana, boardId);
    const alsoDuring = await createPin(t, ana, boardId);
    expect(await timelineOf(t, ben)).toEqual([alsoDuring.id, during.id, before.id]);
    // The relay cannot hand these changes to the queue: it keeps its place and tries again.
    await expect(t.container.background.settle(2000)).rejects.toThrow();

    await relay.open();
    await waitFor(async () => (await t.container.background.jobs.counts()) !== undefined);
    await waitFor(async () => (await storedFor(t, ben)) !== undefined);
    await settle(t);
    expect(await storedFor(t, ben)).toEqual([alsoDuring.id, during.id, before.id]);
    expect((await t.container.background.jobs.counts()).dead).toBe(0);
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // still down
    }
    if (Date.now() > deadline) throw new Error('Redis did not come back in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
