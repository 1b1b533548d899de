// Images of SECRET and PROTECTED pins. Image files are served without a token (an <img> tag sends
// none), so their URLs must be capabilities: unguessable, never derived from ids or time, never shared
// with another person's upload of the same bytes, and dead as soon as no pin shows the image. These
// tests play the attacker: an anonymous client who knows its own pins and images, guesses, uploads the
// same bytes as its victim, and times the answers.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.js';
import type { PinBody } from '../../src/pins/pin.schemas.js';
import { base64Source, createPin, makeBoard, pngImage } from '../../src/pins/pin-test-support.js';
import { compareTimings, type TimedGroup } from './timing-statistics.js';

const SIZES = ['150x150', '400x300', '600x', '1200x'] as const;

function imagePath(pin: PinBody, size: (typeof SIZES)[number] = '600x'): string {
  return new URL(pin.media.images[size].url).pathname;
}

/** The path segment that names the image: /media/images/<segment>/<file>. */
function imageSegment(pin: PinBody): string {
  const segment = imagePath(pin).split('/')[3];
  if (!segment) throw new Error(`unexpected image URL ${pin.media.images['600x'].url}`);
  return segment;
}

describe('image URLs are capabilities', () => {
  let t: TestApp;
  let mallory: TestUser;
  let victim: TestUser;
  let friend: TestUser;
  let malloryBoard: string;
  let secretBoard: string;
  let protectedBoard: string;
  let friendBoard: string;

  beforeAll(async () => {
    t = await createTestApp();
    mallory = await t.signUp('mallory');
    victim = await t.signUp('victim');
    friend = await t.signUp('friend');
    malloryBoard = await makeBoard(t, mallory, 'Mine');
    secretBoard = await makeBoard(t, victim, 'Diary', 'SECRET');
    protectedBoard = await makeBoard(t, victim, 'Drafts', 'PROTECTED');
    friendBoard = await makeBoard(t, friend, 'Saved');
  });
  afterAll(async () => t.close());

  const anonymous = (url: string, headers: Record<string, string> = {}) => t.request({ method: 'GET', url, headers });

  /** Runs the worker's image collection now, as its periodic schedule would. */
  async function runImageCollection(): Promise<void> {
    await t.container.background.jobs.enqueue('maintenance.periodic', { task: 'collect-unreferenced-images', slot: Date.now() });
    await t.container.background.settle();
  }

  async function imageIdOf(pinId: string): Promise<string> {
    const row = await t.container.db.selectFrom('pins').select('image_id').where('id', '=', pinId).executeTakeFirstOrThrow();
    return row.image_id;
  }

  async function storedFiles(imageId: string): Promise<string[]> {
    return readdir(path.join(t.config.dataDir, 'media', 'images', imageId)).catch(() => []);
  }

  it('anonymous guesses of time-ordered ids around the attacker\'s own pins find no hidden image', async () => {
    const before = await createPin(t, mallory, malloryBoard);
    const secret = await createPin(t, victim, secretBoard);
    const protectedPin = await createPin(t, victim, protectedBoard);
    const after = await createPin(t, mallory, malloryBoard);

    // Everything the attacker knows that looks like an id: its pins' ids, and the segments of its
    // own image URLs when they are numbers. Ids are 41 bits of milliseconds, 10 of shard, 12 of sequence.
    const known = [before.id, after.id, imageSegment(before), imageSegment(after)].filter((value) => /^\d+$/.test(value));
    const millisecond = (id: string) => Number(BigInt(id) >> 22n);
    const first = Math.min(...known.map(millisecond));
    const last = Math.max(...known.map(millisecond));
    const shard = (BigInt(before.id) >> 12n) & 1023n;
    const guesses: string[] = [];
    for (let ms = first; ms <= last; ms += 1) {
      for (let sequence = 0n; sequence < 4n; sequence += 1n) guesses.push(((BigInt(ms) << 22n) | (shard << 12n) | sequence).toString());
    }
    // The guesses cover the hidden images' ids, so where ids were URLs this attack found them.
    const hiddenIds = [await imageIdOf(secret.id), await imageIdOf(protectedPin.id)];
    for (const id of hiddenIds) expect(guesses).toContain(id);
    expect(last - first).toBeLessThan(60_000);

    const own = new Set([imagePath(before), imagePath(after)]);
    const found: string[] = [];
    for (const guess of guesses) {
      const url = `/media/images/${guess}/600x.jpg`;
      if (own.has(url)) continue;
      const res = await anonymous(url);
      if (res.statusCode !== 404) found.push(`${url} ${res.statusCode}`);
    }
    expect(found).toEqual([]);
    // The victim's images are served to whoever holds their URLs (the victim, their collaborators).
    expect((await anonymous(imagePath(secret))).statusCode).toBe(200);
    expect((await anonymous(imagePath(protectedPin))).statusCode).toBe(200);
  });

  it('names every image by at least 128 random bits that say nothing of ids or time', async () => {
    const pins: PinBody[] = [];
    for (let i = 0; i < 12; i += 1) pins.push(await createPin(t, mallory, malloryBoard));
    const segments = pins.map(imageSegment);
    for (const [i, segment] of segments.entries()) {
      // URL-safe base64 carries 6 bits a character: 22 characters hold 128 bits.
      expect(segment).toMatch(/^[A-Za-z0-9_-]{22,}$/);
      const imageId = await imageIdOf(pins[i]!.id);
      expect(segment).not.toContain(imageId);
      expect(segment).not.toContain(pins[i]!.id);
      // Every size of one image shares the segment; the file names are the sizes.
      for (const size of SIZES) expect(imagePath(pins[i]!, size)).toBe(`/media/images/${segment}/${size}.jpg`);
    }
    // Images made a few milliseconds apart share no prefix longer than chance would give.
    for (let i = 1; i < segments.length; i += 1) expect(segments[i]!.slice(0, 4)).not.toBe(segments[i - 1]!.slice(0, 4));
    expect(new Set(segments).size).toBe(segments.length);
  });

  it('gives two owners of the same bytes different images; the second learns nothing of the first', async () => {
    const bytes = await pngImage(120, 90);
    const upload = (as: TestUser, boardId: string) =>
      t.request({ method: 'POST', url: '/v5/pins', as, payload: { board_id: boardId, media_source: base64Source(bytes) } });
    const imagesBefore = await countImages();
    const hidden = (await upload(victim, secretBoard)).json<PinBody>();
    const res = await upload(mallory, malloryBoard);
    expect(res.statusCode, res.body).toBe(201);
    const mine = res.json<PinBody>();

    // Different URLs, different rows: nothing of the victim's image reaches the attacker.
    expect(imageSegment(mine)).not.toBe(imageSegment(hidden));
    expect(await imageIdOf(mine.id)).not.toBe(await imageIdOf(hidden.id));
    expect(await countImages()).toBe(imagesBefore + 2);
    expect(res.body).not.toContain(imageSegment(hidden));
    expect(res.body).not.toContain(await imageIdOf(hidden.id));

    // Each lives and dies with its own pins.
    await deletePin(victim, hidden.id);
    expect((await anonymous(imagePath(hidden))).statusCode).toBe(404);
    expect((await anonymous(imagePath(mine))).statusCode).toBe(200);

    // One owner uploading the same bytes again still gets the image they already have.
    const again = (await upload(mallory, malloryBoard)).json<PinBody>();
    expect(imageSegment(again)).toBe(imageSegment(mine));
    expect(await countImages()).toBe(imagesBefore + 2);
  });

  it('stops serving a deleted pin\'s image at once, unless a save still shows it', async () => {
    const original = await createPin(t, victim, protectedBoard);
    const url = imagePath(original);
    const etag = String((await anonymous(url)).headers.etag);
    // A save of someone else's pin shows that pin's image: the saver sees it already.
    const save = await t.request({ method: 'POST', url: `/v5/pins/${original.id}/save`, as: victim, payload: { board_id: secretBoard } });
    expect(save.statusCode, save.body).toBe(201);
    expect(imagePath(save.json<PinBody>())).toBe(url);

    await deletePin(victim, original.id);
    expect((await anonymous(url)).statusCode).toBe(200);
    await deletePin(victim, save.json<PinBody>().id);
    for (const size of SIZES) expect((await anonymous(imagePath(original, size))).statusCode).toBe(404);
    // A client (or cache) revalidating its copy gets no 304 for an image that is gone.
    expect((await anonymous(url, { 'if-none-match': etag })).statusCode).toBe(404);
  });

  it('stops serving the images of a deleted board\'s pins', async () => {
    const board = await makeBoard(t, victim, 'Short lived', 'SECRET');
    const pin = await createPin(t, victim, board);
    const saved = await t.request({ method: 'POST', url: `/v5/pins/${pin.id}/save`, as: victim, payload: { board_id: protectedBoard } });
    const other = await createPin(t, victim, board);
    const res = await t.request({ method: 'DELETE', url: `/v5/boards/${board}`, as: victim });
    expect(res.statusCode).toBe(204);
    expect((await anonymous(imagePath(other))).statusCode).toBe(404);
    // The pin saved onto another board still shows its image.
    expect((await anonymous(imagePath(saved.json<PinBody>()))).statusCode).toBe(200);
  });

  it('collects an image\'s row and files after the grace period, and nothing still shown', async () => {
    const doomed = await createPin(t, friend, friendBoard);
    const kept = await createPin(t, friend, friendBoard);
    const doomedId = await imageIdOf(doomed.id);
    const keptId = await imageIdOf(kept.id);
    expect(await storedFiles(doomedId)).toHaveLength(5);
    await deletePin(friend, doomed.id);

    // Within the grace period the row and files stay (a delete can be followed by regret, or by a
    // slow reader of the change), but nothing is served.
    await runImageCollection();
    expect(await imageRow(doomedId)).toBeDefined();
    expect(await storedFiles(doomedId)).toHaveLength(5);
    expect((await anonymous(imagePath(doomed))).statusCode).toBe(404);

    // IMAGE_GC_GRACE_HOURS later (default 24), the worker removes both.
    await sql`UPDATE images SET unreferenced_at = unreferenced_at - make_interval(hours => 25) WHERE id = ${doomedId}`.execute(t.container.db);
    await runImageCollection();
    expect(await imageRow(doomedId)).toBeUndefined();
    expect(await storedFiles(doomedId)).toEqual([]);
    // An image a pin still shows is never collected, however old.
    await sql`UPDATE images SET created_at = created_at - make_interval(days => 400) WHERE id = ${keptId}`.execute(t.container.db);
    await runImageCollection();
    expect(await imageRow(keptId)).toBeDefined();
    expect(await storedFiles(keptId)).toHaveLength(5);
    expect((await anonymous(imagePath(kept))).statusCode).toBe(200);
  });

  it('answers a wrong, a collected, a hidden and a never-issued image URL alike, in body and in time', async () => {
    // Hidden: the pin was deleted, the image waits for collection. Collected: gone entirely.
    const hiddenPin = await createPin(t, friend, friendBoard);
    const collectedPin = await createPin(t, friend, friendBoard);
    const live = await createPin(t, friend, friendBoard);
    const collectedId = await imageIdOf(collectedPin.id);
    await deletePin(friend, hiddenPin.id);
    await deletePin(friend, collectedPin.id);
    await sql`UPDATE images SET unreferenced_at = unreferenced_at - make_interval(hours => 1000) WHERE id = ${collectedId}`.execute(t.container.db);
    await runImageCollection();
    expect(await imageRow(collectedId)).toBeUndefined();

    const liveSegment = imageSegment(live);
    const flipped = liveSegment.slice(0, -1) + (liveSegment.endsWith('A') ? 'B' : 'A');
    const randomSegment = () => {
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      return Array.from({ length: liveSegment.length }, () => alphabet[Math.floor(Math.random() * 64)]).join('');
    };
    const urls = {
      hidden: imagePath(hiddenPin),
      collected: imagePath(collectedPin),
      wrong: `/media/images/${flipped}/600x.jpg`,
      neverIssued: () => `/media/images/${randomSegment()}/600x.jpg`,
    };

    // Same status, same body, same headers (values too, but those that change with every request:
    // the date, the request id, a rate limit's remaining budget).
    const answers = await Promise.all([urls.hidden, urls.collected, urls.wrong, urls.neverIssued()].map((url) => anonymous(url)));
    const perRequest = /^(date|x-request-id|(x-)?ratelimit-.*|retry-after)$/;
    const shape = (res: (typeof answers)[number]) => ({
      status: res.statusCode,
      body: res.body,
      headerNames: Object.keys(res.headers).sort(),
      headers: Object.fromEntries(Object.entries(res.headers).filter(([name]) => !perRequest.test(name))),
    });
    for (const res of answers) expect(shape(res)).toEqual(shape(answers[3]!));
    expect(answers[0]!.statusCode).toBe(404);
    expect(answers[0]!.json()).toEqual({ code: 4042, message: 'Image not found.' });

    // Timing: the groups are sent interleaved, in a shuffled order every round, so drift in the
    // machine's load falls on all of them alike.
    const groups: Record<string, TimedGroup> = { hidden: [], collected: [], wrong: [], neverIssued: [] };
    const rounds = 250;
    for (let round = 0; round < rounds; round += 1) {
      const order = Object.keys(groups).sort(() => Math.random() - 0.5);
      for (const name of order) {
        const url = name === 'neverIssued' ? urls.neverIssued() : urls[name as 'hidden' | 'collected' | 'wrong'];
        const started = process.hrtime.bigint();
        const res = await anonymous(url);
        groups[name]!.push(Number(process.hrtime.bigint() - started) / 1e6);
        expect(res.statusCode).toBe(404);
      }
    }
    for (const name of ['hidden', 'collected', 'wrong']) {
      const comparison = compareTimings(groups[name]!, groups.neverIssued!);
      if (process.env.TIMING_DEBUG) console.log(`${name} vs never issued: ${comparison.summary}`);
      expect(comparison.distinguishable, `${name} vs never issued: ${comparison.summary}`).toBe(false);
    }
  });

  async function deletePin(as: TestUser, pinId: string): Promise<void> {
    const res = await t.request({ method: 'DELETE', url: `/v5/pins/${pinId}`, as });
    expect(res.statusCode, res.body).toBe(204);
  }

  async function countImages(): Promise<number> {
    const row = await t.container.db.selectFrom('images').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async function imageRow(imageId: string) {
    return t.container.db.selectFrom('images').select('id').where('id', '=', imageId).executeTakeFirst();
  }
});
