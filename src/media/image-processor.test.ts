import { createHash, randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { IMAGE_SIZES, processImage, type ImageLimits } from './image-processor.js';
import { MediaError, type MediaErrorReason } from './media-errors.js';

const LIMITS: ImageLimits = { maxBytes: 20 * 1024 * 1024, maxPixels: 50_000_000 };

async function expectMediaError(promise: Promise<unknown>, reason: MediaErrorReason): Promise<void> {
  const error: unknown = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(MediaError);
  expect((error as MediaError).reason).toBe(reason);
}

function solid(width: number, height: number, background: string, channels: 3 | 4 = 3) {
  return sharp({ create: { width, height, channels, background } });
}

function hexToRgb(hex: string): [number, number, number] {
  const value = Number.parseInt(hex.slice(1), 16);
  return [(value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff];
}

async function pixelAt(image: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(image).raw().toBuffer({ resolveWithObject: true });
  const offset = (y * info.width + x) * info.channels;
  return [...data.subarray(offset, offset + info.channels)];
}

describe('processImage', () => {
  it('produces Pinterest variants, dimensions, hash and dominant colour for a large JPEG', async () => {
    // Mostly #3366cc with a white block in one corner.
    const input = await solid(2000, 1000, '#3366cc')
      .composite([{ input: { create: { width: 300, height: 200, channels: 3, background: '#ffffff' } }, left: 0, top: 0 }])
      .jpeg()
      .toBuffer();

    const result = await processImage(input, 'image/jpeg', LIMITS);

    expect(result.width).toBe(2000);
    expect(result.height).toBe(1000);
    expect(result.contentType).toBe('image/jpeg');
    expect(result.sha256).toBe(createHash('sha256').update(input).digest('hex'));
    expect(result.dominantColor).toMatch(/^#[0-9a-f]{6}$/);
    const [r, g, b] = hexToRgb(result.dominantColor);
    // stats().dominant reports the centre of a 16-wide histogram bin.
    expect(Math.abs(r - 0x33)).toBeLessThanOrEqual(16);
    expect(Math.abs(g - 0x66)).toBeLessThanOrEqual(16);
    expect(Math.abs(b - 0xcc)).toBeLessThanOrEqual(16);

    const expected = {
      '150x150': [150, 150],
      '400x300': [400, 300],
      '600x': [600, 300],
      '1200x': [1200, 600],
    } as const;
    expect(Object.keys(result.variants).sort()).toEqual([...IMAGE_SIZES].sort());
    for (const size of IMAGE_SIZES) {
      const variant = result.variants[size];
      expect([variant.width, variant.height], size).toEqual(expected[size]);
      const meta = await sharp(variant.data).metadata();
      expect([meta.format, meta.width, meta.height], size).toEqual(['jpeg', ...expected[size]]);
    }
    const originalMeta = await sharp(result.original).metadata();
    expect([originalMeta.format, originalMeta.width, originalMeta.height]).toEqual(['jpeg', 2000, 1000]);
  });

  it('never enlarges the proportional variants of a small image', async () => {
    const input = await solid(50, 40, '#aa2211').png().toBuffer();
    const result = await processImage(input, 'image/png', LIMITS);

    expect([result.width, result.height]).toEqual([50, 40]);
    expect(result.contentType).toBe('image/png');
    expect([result.variants['600x'].width, result.variants['600x'].height]).toEqual([50, 40]);
    expect([result.variants['1200x'].width, result.variants['1200x'].height]).toEqual([50, 40]);
    // Fixed-size crops are always their nominal size.
    expect([result.variants['150x150'].width, result.variants['150x150'].height]).toEqual([150, 150]);
    expect([result.variants['400x300'].width, result.variants['400x300'].height]).toEqual([400, 300]);
  });

  it('auto-orients by EXIF and strips metadata from every output', async () => {
    // Stored landscape: left half red, right half blue. Orientation 6 means "rotate 90° clockwise to
    // display", so the viewer sees a portrait image with red on top.
    const stored = await solid(40, 20, '#0000ff')
      .composite([{ input: { create: { width: 20, height: 20, channels: 3, background: '#ff0000' } }, left: 0, top: 0 }])
      .png()
      .toBuffer();
    const input = await sharp(stored)
      .png()
      .withMetadata({ orientation: 6, exif: { IFD0: { Copyright: 'someone', Artist: 'GPS-bearing camera' } } })
      .toBuffer();
    expect((await sharp(input).metadata()).orientation).toBe(6);

    const result = await processImage(input, undefined, LIMITS);

    expect([result.width, result.height]).toEqual([20, 40]);
    const originalMeta = await sharp(result.original).metadata();
    expect([originalMeta.width, originalMeta.height]).toEqual([20, 40]);
    expect(originalMeta.orientation).toBeUndefined();
    expect(originalMeta.exif).toBeUndefined();
    const [topR, , topB] = await pixelAt(result.original, 10, 5);
    const [bottomR, , bottomB] = await pixelAt(result.original, 10, 35);
    expect(topR).toBeGreaterThan(200);
    expect(topB).toBeLessThan(50);
    expect(bottomR).toBeLessThan(50);
    expect(bottomB).toBeGreaterThan(200);

    expect([result.variants['600x'].width, result.variants['600x'].height]).toEqual([20, 40]);
    for (const size of IMAGE_SIZES) {
      const meta = await sharp(result.variants[size].data).metadata();
      expect(meta.exif, size).toBeUndefined();
    }
  });

  it('strips EXIF from a JPEG original', async () => {
    const input = await solid(64, 64, '#808080')
      .jpeg()
      .withMetadata({ exif: { IFD0: { Artist: 'secret person' } } })
      .toBuffer();
    expect((await sharp(input).metadata()).exif).toBeDefined();
    const result = await processImage(input, 'image/jpeg', LIMITS);
    expect((await sharp(result.original).metadata()).exif).toBeUndefined();
    expect(result.original.includes(Buffer.from('secret person'))).toBe(false);
  });

  it('keeps only the first frame of an animated GIF', async () => {
    const red = await solid(30, 20, '#ff0000').png().toBuffer();
    const blue = await solid(30, 20, '#0000ff').png().toBuffer();
    const input = await sharp([red, blue], { join: { animated: true } }).gif().toBuffer();
    expect((await sharp(input).metadata()).pages).toBe(2);

    const result = await processImage(input, 'image/gif', LIMITS);

    expect([result.width, result.height]).toEqual([30, 20]);
    expect(result.contentType).toBe('image/gif');
    const originalMeta = await sharp(result.original).metadata();
    expect([originalMeta.format, originalMeta.pages ?? 1]).toEqual(['gif', 1]);
    const [r, g, b] = hexToRgb(result.dominantColor);
    expect(r).toBeGreaterThan(200);
    expect(g + b).toBeLessThan(50);
  });

  it('accepts WebP and flattens transparency onto white in the JPEG variants', async () => {
    const input = await solid(80, 60, '#00000000', 4).webp({ lossless: true }).toBuffer();
    const result = await processImage(input, 'image/webp', LIMITS);
    expect(result.contentType).toBe('image/webp');
    expect((await sharp(result.original).metadata()).hasAlpha).toBe(true);
    const [r, g, b] = await pixelAt(result.variants['600x'].data, 10, 10);
    expect(Math.min(r ?? 0, g ?? 0, b ?? 0)).toBeGreaterThan(240);
    expect(result.dominantColor).toMatch(/^#f[0-9a-f]f[0-9a-f]f[0-9a-f]$/);
  });

  it('ignores generic declared content types and content-type parameters', async () => {
    const input = await solid(10, 10, '#123456').jpeg().toBuffer();
    await expect(processImage(input, 'application/octet-stream', LIMITS)).resolves.toMatchObject({ width: 10 });
    await expect(processImage(input, 'IMAGE/JPEG; charset=binary', LIMITS)).resolves.toMatchObject({ width: 10 });
    await expect(processImage(input, 'image/jpg', LIMITS)).resolves.toMatchObject({ width: 10 });
  });

  it('refuses a declared content type that contradicts the bytes', async () => {
    const jpeg = await solid(10, 10, '#123456').jpeg().toBuffer();
    await expectMediaError(processImage(jpeg, 'image/png', LIMITS), 'type_mismatch');
    await expectMediaError(processImage(jpeg, 'text/html', LIMITS), 'type_mismatch');
  });

  it('refuses formats other than JPEG, PNG, WebP and GIF', async () => {
    const tiff = await solid(10, 10, '#123456').tiff().toBuffer();
    await expectMediaError(processImage(tiff, undefined, LIMITS), 'unsupported_type');
    const svg = Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>');
    await expectMediaError(processImage(svg, 'image/svg+xml', LIMITS), 'unsupported_type');
  });

  it('reports random bytes, HTML and truncated images as corrupt', async () => {
    // A fixed first byte keeps the random data from accidentally starting with a known signature.
    const random = Buffer.concat([Buffer.from([0x42, 0x00]), randomBytes(4096)]);
    await expectMediaError(processImage(random, undefined, LIMITS), 'corrupt');
    await expectMediaError(processImage(Buffer.from('<html>Not found</html>'), undefined, LIMITS), 'corrupt');
    await expectMediaError(processImage(Buffer.alloc(0), undefined, LIMITS), 'corrupt');

    const jpeg = await solid(200, 200, '#123456')
      .composite([{ input: randomBytes(200 * 200 * 3), raw: { width: 200, height: 200, channels: 3 } }])
      .jpeg()
      .toBuffer();
    await expectMediaError(processImage(jpeg.subarray(0, Math.floor(jpeg.length / 2)), 'image/jpeg', LIMITS), 'corrupt');
  });

  it('refuses images over the byte limit before decoding them', async () => {
    const input = await solid(100, 100, '#123456').png().toBuffer();
    await expectMediaError(processImage(input, undefined, { ...LIMITS, maxBytes: input.length - 1 }), 'too_large');
  });

  it('refuses images over the pixel limit (decompression bombs)', async () => {
    // 100 megapixels of one colour compresses to a few hundred KB of PNG.
    const bomb = await solid(10_000, 10_000, '#336699').png({ compressionLevel: 9 }).toBuffer();
    expect(bomb.length).toBeLessThan(LIMITS.maxBytes);
    await expectMediaError(processImage(bomb, 'image/png', LIMITS), 'too_many_pixels');
  });
});
