import { readdir } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/test-app.js';
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

  beforeAll(async () => {
    t = await createTestApp();
    media = t.container.services.media;
    imagesDir = path.join(t.config.dataDir, 'media', 'images');
  });
  afterAll(async () => t.close());

  it('stores every size and the original under the image id', async () => {
    const image = await media.ingest({ kind: 'upload', data: await png(700, 350, '#123456'), contentType: 'image/png' });
    expect(image).toMatchObject({ width: 700, height: 350, content_type: 'image/png' });
    expect(image.dominant_color).toMatch(/^#[0-9a-f]{6}$/);
    expect((await readdir(path.join(imagesDir, image.id))).sort()).toEqual(
      ['1200x.jpg', '150x150.jpg', '400x300.jpg', '600x.jpg', 'originals.png'].sort(),
    );
    const file = await media.readFile(image.id, '600x.jpg');
    expect(file?.contentType).toBe('image/jpeg');
    expect(file?.etag).toMatch(/^".+"$/);
    const meta = await sharp(file!.data).metadata();
    expect([meta.width, meta.height]).toEqual([600, 300]);
    expect((await media.readFile(image.id, 'originals.png'))?.contentType).toBe('image/png');
    for (const name of ['originals.jpg', '600x.png', '600x', '../600x.jpg', '600X.jpg', 'thumb.jpg']) {
      expect(await media.readFile(image.id, name), name).toBeNull();
    }
    expect(await media.readFile('not-an-id', '600x.jpg')).toBeNull();
  });

  it('returns the stored row for bytes it already has, and a new one for other bytes', async () => {
    const bytes = await png(90, 60, '#445566');
    const first = await media.ingest({ kind: 'upload', data: bytes, contentType: 'image/png' });
    const second = await media.ingest({ kind: 'upload', data: bytes, contentType: 'image/png' });
    const other = await media.ingest({ kind: 'upload', data: await png(90, 60, '#665544'), contentType: 'image/png' });
    expect(second.id).toBe(first.id);
    expect(other.id).not.toBe(first.id);
    // Known bytes under a false content type are still refused.
    const error = await rejection(media.ingest({ kind: 'upload', data: bytes, contentType: 'image/jpeg' }));
    expect(error.kind).toBe('INVALID_IMAGE');
  });

  it('survives concurrent uploads of the same new bytes: one row, every caller gets it, no stray files', async () => {
    const bytes = await png(321, 123, '#abcdef');
    const dirsBefore = new Set(await readdir(imagesDir));
    const rows = await Promise.all(
      Array.from({ length: 5 }, () => media.ingest({ kind: 'upload', data: bytes, contentType: 'image/png' })),
    );
    expect(new Set(rows.map((row) => row.id)).size).toBe(1);
    const stored = await t.container.db.selectFrom('images').select('id').where('sha256', '=', rows[0]!.sha256).execute();
    expect(stored).toHaveLength(1);
    // The losers' files are removed in the background.
    for (let i = 0; i < 50; i++) {
      const fresh = (await readdir(imagesDir)).filter((dir) => !dirsBefore.has(dir));
      const nonEmpty = [];
      for (const dir of fresh) if ((await readdir(path.join(imagesDir, dir))).length > 0) nonEmpty.push(dir);
      if (nonEmpty.length === 1) {
        expect(nonEmpty).toEqual([rows[0]!.id]);
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
    const error = await rejection(media.ingest({ kind: 'url', url: 'http://10.0.0.1/a.png' }));
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
