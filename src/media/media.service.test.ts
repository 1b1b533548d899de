import { readdir } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../../test/support/test-app.js';
import { asViewer, base64Source, makeBoard } from '../pins/pin-test-support.js';
import { AppError } from '../platform/errors.js';
import { IMAGE_SIZES, processImage, variantDimensions } from './image-processor.js';
import { MediaError, type MediaErrorReason } from './media-errors.js';
import { mediaErrorToAppError, type MediaService } from './media.service.js';

function png(width: number, height: number, background: string): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background } }).png().toBuffer();
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('MediaService', () => {
  let t: TestApp;
  let media: MediaService;
  let imagesDir: string;
  let alice: TestUser;
  let bob: TestUser;
  let aliceBoard: string;
  let bobBoard: string;

  beforeAll(async () => {
    t = await createTestApp();
    media = t.container.services.media;
    imagesDir = path.join(t.config.dataDir, 'media', 'images');
    alice = await t.signUp('alice');
    bob = await t.signUp('bob');
    aliceBoard = await makeBoard(t, alice, 'Things');
    bobBoard = await makeBoard(t, bob, 'Stuff');
  });
  afterAll(async () => t.close());

  /** Pins the bytes as `owner` (through the pins service) and returns the stored image row. */
  async function pinImage(owner: TestUser, boardId: string, data: Buffer, contentType = 'image/png') {
    const pin = await t.container.services.pins.create(asViewer(owner), {
      board_id: boardId,
      media_source: base64Source(data, contentType),
    });
    return t.container.db
      .selectFrom('images')
      .selectAll()
      .where('id', '=', pin.pin.image_id)
      .executeTakeFirstOrThrow();
  }

  it('stores every size and the original under the image id, served under its capability', async () => {
    const image = await pinImage(alice, aliceBoard, await png(700, 350, '#123456'));
    expect(image).toMatchObject({ width: 700, height: 350, content_type: 'image/png', owner_id: alice.id, unreferenced_at: null });
    expect(image.dominant_color).toMatch(/^#[0-9a-f]{6}$/);
    expect((await readdir(path.join(imagesDir, image.id))).sort()).toEqual(
      ['1200x.jpg', '150x150.jpg', '400x300.jpg', '600x.jpg', 'originals.png'].sort(),
    );
    const file = await media.readFile(image.capability, '600x.jpg');
    expect(file?.contentType).toBe('image/jpeg');
    expect(file?.etag).toMatch(/^".+"$/);
    const meta = await sharp(file!.data).metadata();
    expect([meta.width, meta.height]).toEqual([600, 300]);
    expect((await media.readFile(image.capability, 'originals.png'))?.contentType).toBe('image/png');
    for (const name of ['originals.jpg', '600x.png', '600x', '../600x.jpg', '600X.jpg', 'thumb.jpg']) {
      expect(await media.readFile(image.capability, name), name).toBeNull();
    }
    // The id names the files on disk, never the URL.
    expect(await media.readFile(image.id, '600x.jpg')).toBeNull();
    expect(await media.readFile('not-a-capability', '600x.jpg')).toBeNull();
  });

  it('reuses an owner\'s own image of the same bytes, never another owner\'s', async () => {
    const bytes = await png(90, 60, '#445566');
    const first = await pinImage(alice, aliceBoard, bytes);
    const second = await pinImage(alice, aliceBoard, bytes);
    const other = await pinImage(alice, aliceBoard, await png(90, 60, '#665544'));
    const bobs = await pinImage(bob, bobBoard, bytes);
    expect(second.id).toBe(first.id);
    expect(other.id).not.toBe(first.id);
    expect(bobs.id).not.toBe(first.id);
    expect(bobs.capability).not.toBe(first.capability);
    expect(bobs.owner_id).toBe(bob.id);
    // Known bytes under a false content type are still refused.
    const error = await rejection(media.stage({ kind: 'upload', data: bytes, contentType: 'image/jpeg' }, alice.id));
    expect(error.kind).toBe('INVALID_IMAGE');
  });

  it('survives concurrent uploads of the same new bytes by one owner: one row, every pin shows it, no stray files', async () => {
    const bytes = await png(321, 123, '#abcdef');
    const dirsBefore = new Set(await readdir(imagesDir));
    const rows = await Promise.all(Array.from({ length: 5 }, () => pinImage(alice, aliceBoard, bytes)));
    expect(new Set(rows.map((row) => row.id)).size).toBe(1);
    const stored = await t.container.db.selectFrom('images').select('id').where('sha256', '=', rows[0]!.sha256).execute();
    expect(stored).toHaveLength(1);
    // The losers' files (and their emptied directories) are removed in the background.
    for (let i = 0; i < 50; i++) {
      const fresh = (await readdir(imagesDir)).filter((dir) => !dirsBefore.has(dir));
      if (fresh.length === 1) {
        expect(fresh).toEqual([rows[0]!.id]);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('files of the losing uploads were not removed');
  });

  it('maps every media failure to a 400 with a stable code', () => {
    const expected: Record<MediaErrorReason, string> = {
      unsupported_type: 'INVALID_IMAGE',
      type_mismatch: 'INVALID_IMAGE',
      too_large: 'INVALID_IMAGE',
      too_many_pixels: 'INVALID_IMAGE',
      corrupt: 'INVALID_IMAGE',
      fetch_refused: 'IMAGE_FETCH_REFUSED',
      fetch_failed: 'IMAGE_FETCH_FAILED',
      fetch_timeout: 'IMAGE_FETCH_FAILED',
    };
    for (const [reason, kind] of Object.entries(expected)) {
      const error = mediaErrorToAppError(new MediaError(reason as MediaErrorReason, 'the detail'));
      expect(error.kind, reason).toBe(kind);
      expect(error.status).toBe(400);
      expect(error.message).toContain('the detail');
    }
  });

  it('refuses image URLs to private addresses without fetching', async () => {
    const error = await rejection(media.stage({ kind: 'url', url: 'http://10.0.0.1/a.png' }, alice.id));
    expect(error.kind).toBe('IMAGE_FETCH_REFUSED');
  });
});

describe('variantDimensions', () => {
  it('predicts the sizes processImage renders, for awkward aspect ratios', async () => {
    const sizes: Array<[number, number]> = [
      [601, 1],
      [1201, 3],
      [3000, 1999],
      [7, 4000],
      [1333, 777],
      [599, 401],
      [2500, 1],
    ];
    for (const [width, height] of sizes) {
      const result = await processImage(await png(width, height, '#808080'), 'image/png');
      for (const size of IMAGE_SIZES) {
        const { width: w, height: h } = result.variants[size];
        expect(variantDimensions(width, height, size), `${width}x${height} ${size}`).toEqual({ width: w, height: h });
      }
    }
  });
});
