// Generated pictures for the dataset: a gradient and a few shapes in the topic's palette, drawn as SVG,
// encoded to JPEG, then put through the same processImage() and storage layout as uploaded images,
// so the media routes serve them like any other. A manifest stored next to them records each image's
// facts, so a later run with the same seed and count can reuse the files instead of redrawing them.
import sharp from 'sharp';
import type { BlobStorage } from '../platform/storage/blob-storage.js';
import { IMAGE_SIZES, processImage } from '../media/image-processor.js';
import { imageStorageKey } from '../media/image-urls.js';
import { idAt } from './dataset-ids.js';
import type { ImagesPlan } from './plan-types.js';
import { combine, hashString, Rng } from './prng.js';
import type { ImageFacts } from './rows.js';
import { TOPICS } from './topics.js';

// Bump when the drawing changes, so old manifests are not reused for different pictures.
const DRAWING_VERSION = 1;
const SOURCE_JPEG_QUALITY = 88;

export interface RenderImagesOptions {
  storage: BlobStorage;
  seed: string;
  /** Reuse stored images when a manifest for this seed and count exists and its files are present. */
  reuse?: boolean;
  /** Images drawn at once; sharp also spreads each image's variants over its own threads. */
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface RenderedImages {
  facts: ImageFacts[];
  reused: boolean;
}

interface ManifestEntry extends ImageFacts {
  id: string;
}

function manifestKey(seed: string, count: number): string {
  const fingerprint = hashString(`${seed}|${count}|${DRAWING_VERSION}`).toString(16).padStart(8, '0');
  return `datasets/images-${fingerprint}-${count}.json`;
}

/** The SVG source of image `index`: deterministic in the seed. */
export function imageSvg(seed: string, plan: ImagesPlan, index: number): string {
  const rng = new Rng(combine(hashString(`${seed}\u0000image`), index));
  const palette = TOPICS[plan.topic[index] as number]?.palette ?? ['#888888'];
  const width = plan.width[index] as number;
  const height = plan.height[index] as number;
  const angle = rng.float() * Math.PI * 2;
  const [x2, y2] = [0.5 + Math.cos(angle) / 2, 0.5 + Math.sin(angle) / 2];
  const shapes: string[] = [];
  const count = rng.between(3, 8);
  for (let s = 0; s < count; s += 1) {
    const fill = rng.pick(palette);
    const opacity = (0.45 + rng.float() * 0.5).toFixed(2);
    const cx = Math.round(rng.float() * width);
    const cy = Math.round(rng.float() * height);
    const size = Math.round((0.1 + rng.float() * 0.4) * width);
    const kind = rng.int(4);
    if (kind === 0) {
      shapes.push(`<circle cx="${cx}" cy="${cy}" r="${size / 2}" fill="${fill}" fill-opacity="${opacity}"/>`);
    } else if (kind === 1) {
      const rotate = rng.int(90);
      shapes.push(
        `<rect x="${cx - size / 2}" y="${cy - size / 2}" width="${size}" height="${Math.round(size * (0.5 + rng.float()))}" ` +
          `rx="${rng.int(size / 4)}" fill="${fill}" fill-opacity="${opacity}" transform="rotate(${rotate} ${cx} ${cy})"/>`,
      );
    } else if (kind === 2) {
      const points = Array.from({ length: 3 }, () => `${cx + rng.int(size) - size / 2},${cy + rng.int(size) - size / 2}`);
      shapes.push(`<polygon points="${points.join(' ')}" fill="${fill}" fill-opacity="${opacity}"/>`);
    } else {
      const band = Math.round(size / 4);
      shapes.push(`<rect x="0" y="${cy}" width="${width}" height="${band}" fill="${fill}" fill-opacity="${opacity}"/>`);
    }
  }
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
    `<defs><linearGradient id="g" x1="${(1 - x2).toFixed(3)}" y1="${(1 - y2).toFixed(3)}" x2="${x2.toFixed(3)}" y2="${y2.toFixed(3)}">` +
    `<stop offset="0" stop-color="${rng.pick(palette)}"/><stop offset="1" stop-color="${rng.pick(palette)}"/></linearGradient></defs>` +
    `<rect width="100%" height="100%" fill="url(#g)"/>${shapes.join('')}</svg>`
  );
}

async function renderOne(seed: string, plan: ImagesPlan, index: number, id: string, storage: BlobStorage): Promise<ManifestEntry> {
  const source = await sharp(Buffer.from(imageSvg(seed, plan, index)))
    .jpeg({ quality: SOURCE_JPEG_QUALITY })
    .toBuffer();
  const processed = await processImage(source, 'image/jpeg');
  await Promise.all([
    storage.put(imageStorageKey(id, 'originals', 'jpg'), processed.original, processed.contentType),
    ...IMAGE_SIZES.map((size) => storage.put(imageStorageKey(id, size), processed.variants[size].data, 'image/jpeg')),
  ]);
  return {
    id,
    sha256: processed.sha256,
    width: processed.width,
    height: processed.height,
    contentType: processed.contentType,
    dominantColor: processed.dominantColor,
    byteSize: processed.original.length,
  };
}

async function readManifest(storage: BlobStorage, key: string, ids: string[]): Promise<ImageFacts[] | undefined> {
  const stored = await storage.get(key);
  if (!stored) return undefined;
  const entries = JSON.parse(stored.data.toString('utf8')) as ManifestEntry[];
  if (entries.length !== ids.length || entries.some((entry, i) => entry.id !== ids[i])) return undefined;
  const present = await Promise.all(
    ids.map(async (id) => {
      const keys = [imageStorageKey(id, 'originals', 'jpg'), ...IMAGE_SIZES.map((size) => imageStorageKey(id, size))];
      return (await Promise.all(keys.map((key) => storage.exists(key)))).every(Boolean);
    }),
  );
  return present.every(Boolean) ? entries : undefined;
}

export async function renderImages(plan: ImagesPlan, options: RenderImagesOptions): Promise<RenderedImages> {
  const { storage, seed } = options;
  const ids = Array.from({ length: plan.count }, (_, i) => idAt(plan.createdAt[i] as number, plan.seq[i] as number));
  const key = manifestKey(seed, plan.count);
  if (options.reuse) {
    const facts = await readManifest(storage, key, ids);
    if (facts) {
      options.onProgress?.(plan.count, plan.count);
      return { facts, reused: true };
    }
  }
  const entries: ManifestEntry[] = new Array<ManifestEntry>(plan.count);
  let next = 0;
  let done = 0;
  const worker = async () => {
    for (let index = next++; index < plan.count; index = next++) {
      entries[index] = await renderOne(seed, plan, index, ids[index] as string, storage);
      done += 1;
      options.onProgress?.(done, plan.count);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
  await storage.put(key, Buffer.from(JSON.stringify(entries)), 'application/json');
  return { facts: entries, reused: false };
}
