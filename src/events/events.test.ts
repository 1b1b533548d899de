// POST /v5/events as a client sees it: a batch is stored whole or not at all, a resent batch stores
// nothing twice (by client_event_id, and by Idempotency-Key), each mistake answers its own code, and
// pins the sender may not see cannot be reported - with the same answer as pins that do not exist.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../../test/support/test-app.js';
import { createPin, makeBoard } from '../pins/pin-test-support.js';

let t: TestApp;
let ana: TestUser;
let ben: TestUser;
let publicPin: string;
let secretPin: string;

async function storedEvents(user: TestUser): Promise<number> {
  const row = await t.container.db
    .selectFrom('engagement_events')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('user_id', '=', user.id)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

function send(as: TestUser, events: unknown[], headers: Record<string, string> = {}) {
  return t.request({ method: 'POST', url: '/v5/events', as, payload: { events }, headers });
}

beforeAll(async () => {
  t = await createTestApp();
  ana = await t.signUp('ana');
  ben = await t.signUp('ben');
  publicPin = (await createPin(t, ana, await makeBoard(t, ana, 'Lamps'))).id;
  secretPin = (await createPin(t, ana, await makeBoard(t, ana, 'Gifts', 'SECRET'))).id;
});
afterAll(async () => {
  await t.close();
});

describe('POST /v5/events', () => {
  it('needs a token', async () => {
    const reply = await t.request({ method: 'POST', url: '/v5/events', payload: { events: [{ kind: 'impression', pin_id: publicPin }] } });
    expect(reply.statusCode).toBe(401);
    expect(reply.json()).toMatchObject({ code: 2 });
  });

  it('stores a batch and answers one status per event', async () => {
    const reply = await send(ben, [
      { kind: 'impression', pin_id: publicPin, surface: 'home_feed', client_event_id: 'b1-1' },
      { kind: 'closeup', pin_id: publicPin, client_event_id: 'b1-2', occurred_at: new Date(Date.now() - 60_000).toISOString() },
      { kind: 'save', pin_id: publicPin },
    ]);
    expect(reply.statusCode, reply.body).toBe(200);
    expect(reply.json()).toEqual({
      num_events_received: 3,
      num_events_processed: 3,
      events: [{ status: 'processed' }, { status: 'processed' }, { status: 'processed' }],
    });
    expect(await storedEvents(ben)).toBe(3);
  });

  it('stores an event resent with the same client_event_id once, also within one batch', async () => {
    const before = await storedEvents(ben);
    const reply = await send(ben, [
      { kind: 'impression', pin_id: publicPin, client_event_id: 'b1-1' },
      { kind: 'click', pin_id: publicPin, client_event_id: 'b2-1' },
      { kind: 'click', pin_id: publicPin, client_event_id: 'b2-1' },
    ]);
    expect(reply.statusCode).toBe(200);
    expect(reply.json()).toEqual({
      num_events_received: 3,
      num_events_processed: 1,
      events: [{ status: 'duplicate' }, { status: 'processed' }, { status: 'duplicate' }],
    });
    expect(await storedEvents(ben)).toBe(before + 1);
    // client_event_id is unique per person: another person may use the same one.
    const other = await send(ana, [{ kind: 'impression', pin_id: publicPin, client_event_id: 'b1-1' }]);
    expect(other.json()).toMatchObject({ num_events_processed: 1 });
  });

  it('replays the first answer for a retry with the same Idempotency-Key and stores nothing more', async () => {
    const events = [{ kind: 'impression', pin_id: publicPin }];
    const first = await send(ben, events, { 'idempotency-key': 'events-retry-1' });
    const stored = await storedEvents(ben);
    const retry = await send(ben, events, { 'idempotency-key': 'events-retry-1' });
    expect(retry.statusCode).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json()).toEqual(first.json());
    expect(await storedEvents(ben)).toBe(stored);
  });

  it.each([
    ['an unknown kind', [{ kind: 'like', pin_id: '1' }], 400, 4302],
    ['a malformed pin id', [{ kind: 'impression', pin_id: 'abc' }], 400, 4002],
    ['a pin id beyond 64 bits', [{ kind: 'impression', pin_id: '99999999999999999999' }], 400, 4002],
    ['an event far in the future', [{ kind: 'impression', pin_id: '1', occurred_at: new Date(Date.now() + 3600_000).toISOString() }], 400, 4303],
    ['an event from long ago', [{ kind: 'impression', pin_id: '1', occurred_at: '2001-01-01T00:00:00Z' }], 400, 4303],
    ['an occurred_at that is no date', [{ kind: 'impression', pin_id: '1', occurred_at: 'yesterday' }], 400, 4303],
    ['an unknown field', [{ kind: 'impression', pin_id: '1', weight: 3 }], 400, 1],
    ['an empty batch', [], 400, 1],
  ])('refuses %s with its own code', async (_what, events, status, code) => {
    const reply = await send(ben, events);
    expect(reply.statusCode, reply.body).toBe(status);
    expect(reply.json<{ code: number }>().code).toBe(code);
  });

  it('refuses more than 100 events, and stores nothing of a refused batch', async () => {
    const before = await storedEvents(ben);
    const tooMany = Array.from({ length: 101 }, () => ({ kind: 'impression', pin_id: publicPin }));
    const reply = await send(ben, tooMany);
    expect(reply.statusCode).toBe(400);
    expect(reply.json()).toMatchObject({ code: 4301 });
    const halfBad = await send(ben, [
      { kind: 'impression', pin_id: publicPin },
      { kind: 'impression', pin_id: publicPin, occurred_at: new Date(Date.now() + 86_400_000).toISOString() },
    ]);
    expect(halfBad.statusCode).toBe(400);
    expect(await storedEvents(ben)).toBe(before);
    const hundred = await send(ben, tooMany.slice(0, 100));
    expect(hundred.json()).toMatchObject({ num_events_processed: 100 });
  });

  it('answers a secret pin of someone else exactly like a pin that does not exist', async () => {
    const before = await storedEvents(ben);
    const secret = await send(ben, [
      { kind: 'impression', pin_id: publicPin },
      { kind: 'closeup', pin_id: secretPin },
    ]);
    const missing = await send(ben, [
      { kind: 'impression', pin_id: publicPin },
      { kind: 'closeup', pin_id: '123456789' },
    ]);
    expect(secret.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    expect(secret.json()).toEqual(missing.json());
    expect(secret.json()).toMatchObject({ code: 50 });
    expect(await storedEvents(ben)).toBe(before);
    // Its owner may report it.
    const own = await send(ana, [{ kind: 'closeup', pin_id: secretPin }]);
    expect(own.statusCode).toBe(200);
  });

  it('is described in the served OpenAPI document', async () => {
    const reply = await t.request({ method: 'GET', url: '/v5/openapi.json' });
    const doc = reply.json<{ paths: Record<string, Record<string, { operationId?: string }>> }>();
    expect(doc.paths['/v5/events']?.post?.operationId).toBe('events/create');
  });
});

describe('EngagementEventsService reads', () => {
  it('gives a user\'s recent close-ups and saves, seen pins, and per-user and per-pin counts', async () => {
    const events = t.container.services.engagementEvents;
    const since = new Date(Date.now() - 3600_000);
    const recent = await events.recentEngagements(ben.id);
    expect(recent.map((event) => event.kind).sort()).toEqual(['closeup', 'save']);
    expect(recent.every((event) => event.pinId === publicPin)).toBe(true);
    expect(await events.seenPinIds(ben.id, since)).toEqual([publicPin]);
    expect(await events.seenPinIds(ben.id, new Date(Date.now() + 600_000))).toEqual([]);
    const byUser = await events.countsByUser(since, new Date(Date.now() + 600_000), [ben.id, ana.id]);
    expect(byUser.get(ben.id)).toMatchObject({ closeup: 1, save: 1, click: 1, hide: 0 });
    expect(byUser.get(ben.id)!.impression).toBeGreaterThan(100);
    expect(byUser.get(ana.id)).toMatchObject({ impression: 1, closeup: 1 });
    const byPin = await events.countsByPin([publicPin, secretPin], since);
    expect(byPin.get(secretPin)).toMatchObject({ closeup: 1, impression: 0 });
  });
});
