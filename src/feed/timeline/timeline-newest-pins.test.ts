// Rebuilding a timeline reads the newest pins of everyone and every board a person follows. With many
// sources it first finds a cutoff from each source's newest few; whatever the path, the answer must
// be exactly the newest public pins of those sources, never a secret one or the person's own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../../../test/support/test-app.js';
import { addPin, makeBoard, setPrivacy } from '../home/home-feed-test-support.js';
import { TimelineRepository } from './timeline.repository.js';

let t: TestApp;
let viewer: TestUser;
const authors: TestUser[] = [];
const followedBoards: string[] = [];
/** Every pin the sources hold, with whether the viewer may have it in a timeline. */
const pins: Array<{ id: string; eligible: boolean; author?: string; board?: string }> = [];

beforeAll(async () => {
  t = await createTestApp();
  viewer = await t.signUp('newest_viewer');
  // 24 authors: one posts a lot and often, the others a little; every author also has a secret board.
  for (let a = 0; a < 24; a += 1) {
    const author = await t.signUp(`newest_author${a}`);
    authors.push(author);
    const open = await makeBoard(t, author, `Open ${a}`);
    const secret = await makeBoard(t, author, `Secret ${a}`);
    await setPrivacy(t, author, secret, 'SECRET');
    const count = a === 0 ? 60 : 4 + (a % 5);
    for (let n = 0; n < count; n += 1) {
      const ageHours = a === 0 ? 0.05 * (n + 1) : 0.7 * (n + 1) + a * 0.13;
      const onSecret = n % 4 === 3;
      const { pinId } = await addPin(t, author, onSecret ? secret : open, { ageHours });
      pins.push({ id: pinId, eligible: !onSecret, author: author.id });
    }
  }
  // 6 followed boards of people the viewer does not follow, one holding a pin of the viewer's own.
  for (let b = 0; b < 6; b += 1) {
    const owner = await t.signUp(`newest_owner${b}`);
    const board = await makeBoard(t, owner, `Followed ${b}`);
    followedBoards.push(board);
    for (let n = 0; n < 5; n += 1) pins.push({ id: (await addPin(t, owner, board, { ageHours: 0.9 * (n + 1) + b * 0.21 })).pinId, eligible: true, board });
  }
  pins.push({ id: (await addPin(t, viewer, followedBoards[0]!, { ageHours: 0.01 })).pinId, eligible: false, board: followedBoards[0]! });
});
afterAll(async () => t.close());

/** The expected answer: the newest `limit` eligible pins of these sources. */
function expected(users: readonly string[], boards: readonly string[], limit: number): string[] {
  const ids = pins.filter((pin) => pin.eligible && ((pin.author && users.includes(pin.author)) || (pin.board && boards.includes(pin.board)))).map((pin) => BigInt(pin.id));
  return [...new Set(ids)]
    .sort((a, b) => (a < b ? 1 : a > b ? -1 : 0))
    .slice(0, limit)
    .map(String);
}

describe('the newest pins of what a person follows', () => {
  it('answers exactly the newest public pins of many sources, at every length', async () => {
    const repository = new TimelineRepository(t.container.db);
    const users = authors.map((author) => author.id);
    for (const limit of [1, 10, 30, 75, 500]) {
      expect(await repository.newestPins(viewer.id, { users, boards: followedBoards }, limit), `limit ${limit}`).toEqual(expected(users, followedBoards, limit));
    }
  });

  it('answers the same with few sources, and for a busy source among quiet ones', async () => {
    const repository = new TimelineRepository(t.container.db);
    const few = authors.slice(0, 5).map((author) => author.id);
    expect(await repository.newestPins(viewer.id, { users: few, boards: followedBoards.slice(0, 2) }, 40)).toEqual(expected(few, followedBoards.slice(0, 2), 40));
    const quiet = authors.slice(1).map((author) => author.id);
    expect(await repository.newestPins(viewer.id, { users: quiet, boards: [] }, 20)).toEqual(expected(quiet, [], 20));
  });
});
