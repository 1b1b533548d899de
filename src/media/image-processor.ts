// Turns untrusted image bytes into what we store and serve: a metadata-free original plus the fixed
// set of JPEG variants Pinterest's API exposes under pin.media.images.
import { createHash } from 'node:crypto';
import type { Sharp, SharpOptions } from 'sharp';

type SharpFactory = (typeof import('sharp'))['default'];
let sharpLoading: Promise<SharpFactory> | undefined;
/** sharp (libvips) takes a few hundred milliseconds to load: it loads with the first image, not at start. */
function loadSharp(): Promise<SharpFactory> {
  return (sharpLoading ??= import('sharp').then((module) => module.default));
}
import { CONTENT_TYPE_BY_FORMAT, detectImageFormat, type ImageFormat } from './image-format.js';
import { MediaError } from './media-errors.js';

/** The variant keys of Pinterest's pin.media.images, in ascending size. */
export const IMAGE_SIZES = ['150x150', '400x300', '600x', '1200x'] as const;
export type ImageSize = (typeof IMAGE_SIZES)[number];

interface VariantSpec {
  width: number;
  /** Absent: height follows the aspect ratio. Present: cover-crop to exactly width x height. */
  height?: number;
}

const VARIANT_SPECS: Readonly<Record<ImageSize, VariantSpec>> = {
  '150x150': { width: 150, height: 150 },
  '400x300': { width: 400, height: 300 },
  '600x': { width: 600 },
  '1200x': { width: 1200 },
};

/**
 * The dimensions renderVariant() produces for an image of width x height (after orientation), so
 * stored images need only their original size: fixed sizes are cover-cropped to exactly their box,
 * proportional ones are scaled to the variant width (never enlarged) with the height rounded.
 */
export function variantDimensions(width: number, height: number, size: ImageSize): { width: number; height: number } {
  const spec = VARIANT_SPECS[size];
  if (spec.height !== undefined) return { width: spec.width, height: spec.height };
  const scaledWidth = Math.min(spec.width, width);
  return { width: scaledWidth, height: Math.max(1, Math.round((height * scaledWidth) / width)) };
}

export const VARIANT_CONTENT_TYPE = 'image/jpeg';
// mozjpeg would save ~10% bytes but costs several times the CPU on every upload.
const VARIANT_JPEG = { quality: 82, mozjpeg: false, progressive: false } as const;
// The stored original is re-encoded (that is what strips EXIF/GPS), so keep it close to lossless.
const ORIGINAL_QUALITY = 90;
// JPEG has no alpha; transparent areas become white as they would on a Pinterest grid, not black.
const FLATTEN_BACKGROUND = '#ffffff';
// Dominant colour is a histogram over a thumbnail; more pixels only cost time.
const DOMINANT_COLOR_SAMPLE_EDGE = 256;

export interface ImageLimits {
  maxBytes: number;
  maxPixels: number;
}

export const DEFAULT_IMAGE_LIMITS: Readonly<ImageLimits> = {
  maxBytes: 20 * 1024 * 1024,
  maxPixels: 50_000_000,
};

export interface ImageVariant {
  data: Buffer;
  width: number;
  height: number;
}

export interface ProcessedImage {
  /** Dimensions after EXIF auto-orientation (what a viewer sees). */
  width: number;
  height: number;
  /** Content type of `original` (same format as the input). */
  contentType: string;
  /** '#rrggbb' (lower-case hex), Pinterest's pin.dominant_color. */
  dominantColor: string;
  /** Hex sha256 of the bytes as received, for de-duplicating identical uploads. */
  sha256: string;
  /** The input re-encoded in its own format: auto-oriented, all metadata (EXIF, GPS, XMP, ICC) removed. */
  original: Buffer;
  /** JPEG renditions, see IMAGE_SIZES; width/height are the real output dimensions. */
  variants: Record<ImageSize, ImageVariant>;
}

/**
 * Validates and processes an uploaded or fetched image.
 * Throws MediaError: too_large, unsupported_type, type_mismatch, too_many_pixels or corrupt.
 * GIFs and animated WebPs are reduced to their first frame.
 */
export async function processImage(
  input: Buffer,
  declaredContentType: string | undefined,
  limits: ImageLimits = DEFAULT_IMAGE_LIMITS,
): Promise<ProcessedImage> {
  if (input.length === 0) throw new MediaError('corrupt', 'the image is empty');
  if (input.length > limits.maxBytes) {
    throw new MediaError('too_large', `the image is ${input.length} bytes; the limit is ${limits.maxBytes}`);
  }
  const format = detectImageFormat(input, declaredContentType);

  const options: SharpOptions = {
    limitInputPixels: limits.maxPixels,
    // 'error' refuses truncated and undecodable data but tolerates the harmless warnings that many
    // camera JPEGs trigger (the stricter default 'warning' would turn away ordinary photos).
    failOn: 'error',
    autoOrient: true,
    // First frame only for animated GIF/WebP.
    pages: 1,
  };

  const sharp = await loadSharp();
  try {
    const { width, height } = await readOrientedSize(sharp, input, options, format, limits.maxPixels);
    const base = sharp(input, options);
    const [original, dominantColor, ...variants] = await Promise.all([
      encodeOriginal(base.clone(), format),
      computeDominantColor(sharp, base.clone()),
      ...IMAGE_SIZES.map((size) => renderVariant(base.clone(), VARIANT_SPECS[size])),
    ]);
    return {
      width,
      height,
      contentType: CONTENT_TYPE_BY_FORMAT[format],
      dominantColor,
      sha256: createHash('sha256').update(input).digest('hex'),
      original,
      variants: Object.fromEntries(IMAGE_SIZES.map((size, i) => [size, variants[i]])) as Record<
        ImageSize,
        ImageVariant
      >,
    };
  } catch (error) {
    throw toMediaError(error);
  }
}

async function readOrientedSize(
  sharp: SharpFactory,
  input: Buffer,
  options: SharpOptions,
  format: ImageFormat,
  maxPixels: number,
): Promise<{ width: number; height: number }> {
  const metadata = await sharp(input, options).metadata();
  // Our sniffing and libvips' must agree, or we are about to decode something other than we checked.
  if (metadata.format !== format) {
    throw new MediaError('corrupt', `the image data is inconsistent (${format} header, decoded as ${metadata.format})`);
  }
  const { width, height } = metadata.autoOrient;
  if (!width || !height) throw new MediaError('corrupt', 'the image has no pixels');
  // sharp enforces limitInputPixels too; checking here gives the same answer without relying on
  // which sharp call happens to notice first.
  if (width * height > maxPixels) {
    throw new MediaError('too_many_pixels', `the image is ${width}x${height}; the limit is ${maxPixels} pixels`);
  }
  return { width, height };
}

async function encodeOriginal(pipeline: Sharp, format: ImageFormat): Promise<Buffer> {
  // sharp drops all metadata unless asked to keep it, so re-encoding is what strips it.
  switch (format) {
    case 'jpeg':
      return pipeline.jpeg({ quality: ORIGINAL_QUALITY, mozjpeg: false }).toBuffer();
    case 'png':
      return pipeline.png().toBuffer();
    case 'webp':
      return pipeline.webp({ quality: ORIGINAL_QUALITY }).toBuffer();
    case 'gif':
      return pipeline.gif().toBuffer();
  }
}

async function renderVariant(pipeline: Sharp, spec: VariantSpec): Promise<ImageVariant> {
  const resized =
    spec.height === undefined
      ? pipeline.resize({ width: spec.width, withoutEnlargement: true })
      : pipeline.resize({ width: spec.width, height: spec.height, fit: 'cover', position: 'centre' });
  const { data, info } = await resized
    .flatten({ background: FLATTEN_BACKGROUND })
    .jpeg(VARIANT_JPEG)
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

async function computeDominantColor(sharp: SharpFactory, pipeline: Sharp): Promise<string> {
  // stats() reads the pipeline's input, not its output, so render the sample first.
  const { data, info } = await pipeline
    .resize({ width: DOMINANT_COLOR_SAMPLE_EDGE, height: DOMINANT_COLOR_SAMPLE_EDGE, fit: 'inside' })
    .flatten({ background: FLATTEN_BACKGROUND })
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const { dominant } = await sharp(data, {
    raw: { width: info.width, height: info.height, channels: info.channels },
  }).stats();
  return `#${[dominant.r, dominant.g, dominant.b].map((value) => value.toString(16).padStart(2, '0')).join('')}`;
}

function toMediaError(error: unknown): MediaError {
  if (error instanceof MediaError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/pixel limit/i.test(message)) {
    return new MediaError('too_many_pixels', 'the image has more pixels than the limit allows');
  }
  // libvips' messages can include internal detail; keep it short and generic for the client.
  return new MediaError('corrupt', 'the image data could not be decoded');
}
