// Fan-out on write as the people involved see it: a new pin or save reaches the timelines of those
// who follow its creator or its board, once; secret pins reach no one; unfollowing, deleting, moving
// a pin to a secret board and a board turning secret take pins back out; celebrities are merged in at
// read time; a returning person gets a rebuilt timeline; a job that dies midway leaves no trace.
// Runs on the embedded default, and on PostgreSQL + Redis when DATABASE_URL / REDIS_URL are set.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../../../test/support/test-app.js';
import { createPin, makeBoard } from '../../pins/pin-test-support.js';
import { follow, followBoard, settle, storedFor, timelineOf, unfollow, unfollowBoard } from './fanout-test-support.js';

let t: TestApp;
let counter = 0;

/** A fresh person, so each test's follow graph is its own. */
async function person(name: string): Promise<TestUser> {
  counter += 1;
  return t.signUp(`${name}${counter}`);
}

async function patch(url: string, as: TestUser, payload: Record<string, unknown>): Promise<void> {
  const reply = await t.request({ method: 'PATCH', url, as, payload });
  expect(reply.statusCode, reply.body).toBe(200);
}

beforeAll(async () => {
  // A low celebrity threshold, small chunks (so a fan-out spans several jobs) and a small cap.
  t = await createTestApp({ FEED_CELEBRITY_FOLLOWERS: '3', FEED_FANOUT_CHUNK: '2', FEED_TIMELINE_MAX: '10' });
});
afterAll(async () => {
  await t.close();
});

describe('fan-out on write', () => {
  it('delivers a new pin to the followers of its creator and of its board, once each, and to no one else', async () => {
    const author = await person('author');
    const [byAuthor, byBoard, byBoth, stranger] = [await person('fa'), await person('fb'), await person('fc'), await person('fd')];
    const boardId = await makeBoard(t, author, 'Lamps');
    await follow(t, byAuthor, author);
    await followBoard(t, byBoard, boardId);
    await follow(t, byBoth, author);
    await followBoard(t, byBoth, boardId);
    await settle(t);
    for (const user of [byAuthor, byBoard, byBoth, stranger]) expect(await timelineOf(t, user)).toEqual([]);

    const pin = await createPin(t, author, boardId);
    await settle(t);
    // Delivered into the stored timelines (not found by a rebuild).
    for (const user of [byAuthor, byBoard, byBoth]) expect(await storedFor(t, user)).toEqual([pin.id]);
    expect(await storedFor(t, stranger)).toEqual([]);
    expect(await timelineOf(t, author)).toEqual([]);
  });

  it('delivers a save to the saver\'s followers, and never a pin on a secret board', async () => {
    const author = await person('author');
    const saver = await person('saver');
    const fan = await person('fan');
    const boardId = await makeBoard(t, author, 'Chairs');
    const secretBoard = await makeBoard(t, author, 'Plans', 'SECRET');
    const saverBoard = await makeBoard(t, saver, 'Saved chairs');
    await follow(t, saver, author);
    await follow(t, fan, saver);
    await timelineOf(t, saver);
    await timelineOf(t, fan);

    const original = await createPin(t, author, boardId);
    const secret = await createPin(t, author, secretBoard);
    await settle(t);
    expect(await timelineOf(t, saver)).toEqual([original.id]);

    const saved = await t.request({ method: 'POST', url: `/v5/pins/${original.id}/save`, as: saver, payload: { board_id: saverBoard } });
    expect(saved.statusCode, saved.body).toBe(201);
    const save = saved.json<{ id: string }>();
    await settle(t);
    expect(await storedFor(t, fan)).toEqual([save.id]);
    expect(await storedFor(t, saver)).not.toContain(secret.id);
    expect(await timelineOf(t, saver)).toEqual([original.id]);
  });

  it('takes pins back out on unfollow, keeping those still reached through another follow', async () => {
    const author = await person('author');
    const [viaAuthor, viaBoard, viaBoth] = [await person('ua'), await person('ub'), await person('uc')];
    const boardId = await makeBoard(t, author, 'Maps');
    await follow(t, viaAuthor, author);
    await followBoard(t, viaBoard, boardId);
    await follow(t, viaBoth, author);
    await followBoard(t, viaBoth, boardId);
    for (const user of [viaAuthor, viaBoard, viaBoth]) await timelineOf(t, user);
    const pin = await createPin(t, author, boardId);
    await settle(t);

    await unfollow(t, viaAuthor, author);
    await unfollowBoard(t, viaBoard, boardId);
    await unfollow(t, viaBoth, author);
    await settle(t);
    expect(await storedFor(t, viaAuthor)).toEqual([]);
    expect(await storedFor(t, viaBoard)).toEqual([]);
    expect(await storedFor(t, viaBoth)).toEqual([pin.id]);
  });

  it('takes a pin back out when it is deleted, or moved to a secret board', async () => {
    const author = await person('author');
    const fan = await person('fan');
    const boardId = await makeBoard(t, author, 'Knots');
    const secretBoard = await makeBoard(t, author, 'Drafts', 'SECRET');
    await follow(t, fan, author);
    await timelineOf(t, fan);
    const deleted = await createPin(t, author, boardId);
    const moved = await createPin(t, author, boardId);
    const kept = await createPin(t, author, boardId);
    await settle(t);
    expect(await storedFor(t, fan)).toEqual([kept.id, moved.id, deleted.id]);

    expect((await t.request({ method: 'DELETE', url: `/v5/pins/${deleted.id}`, as: author })).statusCode).toBe(204);
    await patch(`/v5/pins/${moved.id}`, author, { board_id: secretBoard });
    await settle(t);
    expect(await storedFor(t, fan)).toEqual([kept.id]);
    expect(await timelineOf(t, fan)).toEqual([kept.id]);
  });

  it('takes a board\'s pins out when it turns secret, and brings them back when it is public again', async () => {
    const author = await person('author');
    const [viaAuthor, viaBoard] = [await person('sa'), await person('sb')];
    const boardId = await makeBoard(t, author, 'Quilts');
    const otherBoard = await makeBoard(t, author, 'Yarn');
    await follow(t, viaAuthor, author);
    await followBoard(t, viaBoard, boardId);
    for (const user of [viaAuthor, viaBoard]) await timelineOf(t, user);
    const quilt = await createPin(t, author, boardId);
    const yarn = await createPin(t, author, otherBoard);
    await settle(t);
    expect(await storedFor(t, viaAuthor)).toEqual([yarn.id, quilt.id]);

    await patch(`/v5/boards/${boardId}`, author, { privacy: 'SECRET' });
    await settle(t);
    expect(await storedFor(t, viaAuthor)).toEqual([yarn.id]);
    expect(await storedFor(t, viaBoard)).toEqual([]);
    expect(await timelineOf(t, viaBoard)).toEqual([]);

    await patch(`/v5/boards/${boardId}`, author, { privacy: 'PUBLIC' });
    await settle(t);
    expect(await storedFor(t, viaAuthor)).toEqual([yarn.id, quilt.id]);
    expect(await storedFor(t, viaBoard)).toEqual([quilt.id]);
  });

  it('adds a newly followed person\'s recent pins to the follower\'s timeline', async () => {
    const author = await person('author');
    const newcomer = await person('newcomer');
    const boardId = await makeBoard(t, author, 'Kites');
    const first = await createPin(t, author, boardId);
    const second = await createPin(t, author, boardId);
    await timelineOf(t, newcomer);
    await follow(t, newcomer, author);
    await settle(t);
    expect(await storedFor(t, newcomer)).toEqual([second.id, first.id]);
  });

  it('keeps a stored timeline to its cap and reads older pins from the database past it', async () => {
    const author = await person('author');
    const fan = await person('fan');
    const boardId = await makeBoard(t, author, 'Tiles');
    await follow(t, fan, author);
    await timelineOf(t, fan);
    const pins: string[] = [];
    for (let i = 0; i < 12; i += 1) pins.push((await createPin(t, author, boardId)).id);
    await settle(t);
    const newestFirst = [...pins].reverse();
    expect(await storedFor(t, fan)).toEqual(newestFirst.slice(0, 10));
    const timeline = t.container.services.followingTimeline;
    const firstPage = await timeline.read(fan.id, { limit: 8 });
    const secondPage = await timeline.read(fan.id, { limit: 8, beforeScore: firstPage.at(-1)!.score });
    expect([...firstPage, ...secondPage].map((entry) => entry.pinId)).toEqual(newestFirst);
  });
});

describe('celebrities', () => {
  it('are not fanned out but merged in at read time, in order, page by page', async () => {
    const celebrity = await person('celeb');
    const friend = await person('friend');
    const fans = [await person('ca'), await person('cb'), await person('cc'), await person('cd')];
    const celebrityBoard = await makeBoard(t, celebrity, 'Red carpet');
    const friendBoard = await makeBoard(t, friend, 'Garden');
    for (const fan of fans) await follow(t, fan, celebrity);
    await follow(t, fans[0]!, friend);
    await timelineOf(t, fans[0]!);

    const c1 = await createPin(t, celebrity, celebrityBoard);
    const f1 = await createPin(t, friend, friendBoard);
    const c2 = await createPin(t, celebrity, celebrityBoard);
    await settle(t);
    expect(await storedFor(t, fans[0]!)).toEqual([f1.id]);
    expect(await timelineOf(t, fans[0]!)).toEqual([c2.id, f1.id, c1.id]);

    const timeline = t.container.services.followingTimeline;
    const page = await timeline.read(fans[0]!.id, { limit: 2 });
    expect(page.map((entry) => entry.pinId)).toEqual([c2.id, f1.id]);
    const next = await timeline.read(fans[0]!.id, { limit: 2, beforeScore: page[1]!.score });
    expect(next.map((entry) => entry.pinId)).toEqual([c1.id]);
  });
});

describe('activity window', () => {
  it('skips people who have been away and rebuilds their timeline when they return', async () => {
    const author = await person('author');
    const [present, away] = [await person('present'), await person('away')];
    const boardId = await makeBoard(t, author, 'Boats');
    await follow(t, present, author);
    await follow(t, away, author);
    await timelineOf(t, present);
    await timelineOf(t, away);
    const before = await createPin(t, author, boardId);
    await settle(t);
    expect(await storedFor(t, away)).toEqual([before.id]);

    // Time passes for `away`: last seen a month ago, so their stored timeline has expired too.
    const { repositories, store, activity } = t.container.timelineParts;
    const monthAgo = new Date(Date.now() - 30 * 86_400_000);
    await repositories.activity.setLastActive([away.id], monthAgo);
    await store.keepAlive(away.id, new Date(Date.now() - 1000));
    activity.forget();

    const during = await createPin(t, author, boardId);
    await settle(t);
    expect(await storedFor(t, present)).toEqual([during.id, before.id]);
    expect(await storedFor(t, away)).toBeUndefined();
    const recipients = await repositories.fanout.recipients({ authorId: author.id, boardIds: [boardId], activeDays: 14 });
    expect(recipients).toContain(present.id);
    expect(recipients).not.toContain(away.id);

    // Back again: any request counts; the first read rebuilds the timeline from the follow graph.
    expect((await t.request({ method: 'GET', url: '/v5/user_account', as: away })).statusCode).toBe(200);
    expect((await repositories.activity.lastActive(away.id))!.getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(await timelineOf(t, away)).toEqual([during.id, before.id]);
    expect(await storedFor(t, away)).toEqual([during.id, before.id]);
    const after = await createPin(t, author, boardId);
    await settle(t);
    expect(await storedFor(t, away)).toEqual([after.id, during.id, before.id]);
  });
});

describe('a new pin\'s chunks', () => {
  it('read reachability once each, after writing, and take the pin back from someone who unfollowed before their write', async () => {
    const author = await person('author');
    // Three followers (the celebrity threshold here), so two chunks of two.
    const fans = [await person('ra'), await person('rb'), await person('rc')];
    const boardId = await makeBoard(t, author, 'Kites');
    for (const fan of fans) {
      await follow(t, fan, author);
      await timelineOf(t, fan);
    }
    await settle(t);

    // Between the plan (which found all four) and the first chunk's write, one of them unfollows.
    const store = t.container.timelineParts.store;
    const deliver = store.deliver.bind(store);
    let unfollowed = false;
    store.deliver = async (userIds, entries) => {
      if (!unfollowed) {
        unfollowed = true;
        await unfollow(t, fans[0]!, author);
      }
      return deliver(userIds, entries);
    };
    let reachabilityReads = 0;
    const stop = t.container.database.statements.watch((sql) => {
      if (sql.includes('WITH target AS MATERIALIZED')) reachabilityReads += 1;
    });
    try {
      const pin = await createPin(t, author, boardId);
      await settle(t);
      expect(reachabilityReads).toBe(2);
      expect(await storedFor(t, fans[0]!)).toEqual([]);
      for (const fan of fans.slice(1)) expect(await storedFor(t, fan)).toEqual([pin.id]);
    } finally {
      stop();
      store.deliver = deliver;
    }
  });
});

describe('faults', () => {
  it('retries a fan-out job that died midway, leaving each pin once in every timeline', async () => {
    const author = await person('author');
    const fans = [await person('ka'), await person('kb'), await person('kc'), await person('kd'), await person('ke')];
    const boardId = await makeBoard(t, author, 'Bells');
    // Five recipients (under the celebrity threshold of three per source), so three jobs of two.
    for (const [index, fan] of fans.entries()) {
      if (index < 3) await follow(t, fan, author);
      else await followBoard(t, fan, boardId);
      await timelineOf(t, fan);
    }
    const earlier = await createPin(t, author, boardId);
    await settle(t);

    // The first delivery writes to one timeline, then its worker dies.
    const store = t.container.timelineParts.store;
    const deliver = store.deliver.bind(store);
    let crashes = 0;
    store.deliver = async (userIds, entries) => {
      if (crashes === 0 && userIds.length > 1) {
        crashes += 1;
        await deliver(userIds.slice(0, 1), entries);
        throw new Error('worker killed mid-job');
      }
      return deliver(userIds, entries);
    };
    try {
      const pin = await createPin(t, author, boardId);
      await settle(t);
      expect(crashes).toBe(1);
      for (const fan of fans) expect(await timelineOf(t, fan)).toEqual([pin.id, earlier.id]);
      expect((await t.container.background.jobs.counts()).dead).toBe(0);
    } finally {
      store.deliver = deliver;
    }
  });
});
