// recordEvents, POST /v5/events's GraphQL twin: the same batch stored once per client_event_id, the
// same refusals (a secret pin of someone else answers PIN_NOT_FOUND like a missing one, and stores
// nothing of the batch), and global or v5 pin ids alike.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../../test/support/test-app.js';
import { createPin, makeBoard } from '../pins/pin-test-support.js';
import { codes, gql } from '../graphql/graphql-test-support.js';
import { toGlobalId } from '../graphql/relay.js';
import { MISSING_ID } from '../../test/support/fixtures.js';

const RECORD = `mutation ($events: [EngagementEventInput!]!) { recordEvents(events: $events) { received processed statuses } }`;

let t: TestApp;
let ana: TestUser;
let ben: TestUser;
let publicPin: string;
let secretPin: string;

async function stored(user: TestUser): Promise<Array<{ kind: string; pin_id: string | null; surface: string | null }>> {
  return t.container.db.selectFrom('engagement_events').select(['kind', 'pin_id', 'surface']).where('user_id', '=', user.id).orderBy('id').execute();
}

beforeAll(async () => {
  t = await createTestApp();
  ana = await t.signUp('ana');
  ben = await t.signUp('ben');
  publicPin = (await createPin(t, ana, await makeBoard(t, ana, 'Lamps'))).id;
  secretPin = (await createPin(t, ana, await makeBoard(t, ana, 'Gifts', 'SECRET'))).id;
});
afterAll(async () => t?.close());

describe('recordEvents', () => {
  it('stores a batch, taking the global id or the v5 id, and a resent event once', async () => {
    const events = [
      { kind: 'impression', pinId: toGlobalId('Pin', publicPin), surface: 'home_feed', clientEventId: 'g-1' },
      { kind: 'closeup', pinId: publicPin, surface: 'closeup', clientEventId: 'g-2' },
    ];
    const first = await gql(t, ben, RECORD, { events });
    expect(first.errors).toEqual([]);
    expect(first.data).toEqual({ recordEvents: { received: 2, processed: 2, statuses: ['processed', 'processed'] } });
    const again = await gql(t, ben, RECORD, { events });
    expect(again.data).toEqual({ recordEvents: { received: 2, processed: 0, statuses: ['duplicate', 'duplicate'] } });
    expect(await stored(ben)).toEqual([
      { kind: 'impression', pin_id: publicPin, surface: 'home_feed' },
      { kind: 'closeup', pin_id: publicPin, surface: 'closeup' },
    ]);
  });

  it("refuses another person's secret pin exactly as a missing one, storing nothing of the batch", async () => {
    const before = (await stored(ben)).length;
    const secret = await gql(t, ben, RECORD, { events: [{ kind: 'save', pinId: publicPin }, { kind: 'closeup', pinId: secretPin }] });
    const missing = await gql(t, ben, RECORD, { events: [{ kind: 'save', pinId: publicPin }, { kind: 'closeup', pinId: MISSING_ID }] });
    expect(secret.data).toEqual({ recordEvents: null });
    expect(codes(secret)).toEqual(['PIN_NOT_FOUND']);
    expect(missing.errors.map((error) => [error.extensions.code, error.message])).toEqual(secret.errors.map((error) => [error.extensions.code, error.message]));
    expect((await stored(ben)).length).toBe(before);
  });

  it('answers the REST codes for mistakes, and needs a signed-in caller', async () => {
    expect(codes(await gql(t, ben, RECORD, { events: [{ kind: 'stare', pinId: publicPin }] }))).toEqual(['EVENT_KIND_UNKNOWN']);
    const tooMany = Array.from({ length: 101 }, () => ({ kind: 'impression', pinId: publicPin }));
    expect(codes(await gql(t, ben, RECORD, { events: tooMany }))).toEqual(['EVENT_BATCH_TOO_LARGE']);
    expect(codes(await gql(t, ben, RECORD, { events: [{ kind: 'impression', pinId: publicPin, surface: 'has spaces' }] }))).toEqual(['INVALID_PARAMETERS']);
    expect(codes(await gql(t, null, RECORD, { events: [{ kind: 'impression', pinId: publicPin }] }))).toEqual(['AUTHENTICATION_FAILED']);
  });
});
