// Image use cases: turn uploaded or fetched bytes into a stored image (variants + stripped original),
// serve the stored files to holders of their URL, and collect images no pin shows any more. Ingestion
// is split in two so callers can keep their database writes in one transaction: stage() does the
// slow, fallible work outside any transaction (fetch, decode, resize, write files), commit() inserts
// the images row inside the caller's transaction, next to the pin that shows it. Files are written
// before the row exists; if the transaction then fails they stay behind unreferenced, and are never
// served: they live under the staged image id, which no row will ever name.
import { createHash } from 'node:crypto';
import { AppError } from '../platform/errors.js';
import type { IdGenerator } from '../platform/ids.js';
import type { ImageRow } from '../platform/db/schema.js';
import type { BlobStorage } from '../platform/storage/blob-storage.js';
import { compileAllowList } from './address-policy.js';
import { detectImageFormat } from './image-format.js';
import { IMAGE_SIZES, VARIANT_CONTENT_TYPE, processImage, type ImageSize } from './image-processor.js';
import { isImageCapability, newImageCapability } from './image-capability.js';
import { imageStorageKey, type StoredImageSize } from './image-urls.js';
import { MediaError, isMediaError } from './media-errors.js';
import type { MediaRepository, NewImage, ImageFiles } from './media.repository.js';
import { fetchImage, type HostLookup } from './safe-fetch.js';

export type ImageSource =
  | { kind: 'upload'; data: Buffer; contentType: string }
  | { kind: 'url'; url: string };

/** An image ready to be recorded: either bytes we already store, or a new image whose files are written. */
export type StagedImage = { kind: 'existing'; image: ImageRow } | { kind: 'new'; image: NewImage };

export interface MediaLimits {
  maxBytes: number;
  maxPixels: number;
  fetchTimeoutMs: number;
  fetchAllowHosts: readonly string[];
  /** Hours an image no pin shows keeps its row and files before collection. */
  gcGraceHours: number;
}

export interface MediaServiceDeps {
  images: MediaRepository;
  storage: BlobStorage;
  ids: IdGenerator;
  limits: MediaLimits;
  /** DNS for image_url fetches; tests substitute a fake so nothing reaches real DNS. */
  lookup?: HostLookup;
}

export interface ServedImageFile {
  data: Buffer;
  contentType: string;
  /** Strong validator: the files behind a URL never change. */
  etag: string;
}

/** Images deleted per collection transaction. */
const COLLECT_BATCH = 200;

const ORIGINAL_EXTENSION_BY_TYPE: Readonly<Record<string, string>> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/gif': 'gif',
};
const ORIGINAL_EXTENSIONS = new Set(Object.values(ORIGINAL_EXTENSION_BY_TYPE));

/** File extension of an image's stored original. */
export function originalExtension(contentType: string): string {
  return ORIGINAL_EXTENSION_BY_TYPE[contentType] ?? 'jpg';
}

export class MediaService {
  constructor(private readonly deps: MediaServiceDeps) {
    // A typo in IMAGE_FETCH_ALLOW_HOSTS fails at start-up, not on the first image_url pin.
    compileAllowList(deps.limits.fetchAllowHosts);
  }

  /**
   * Validates the image for `ownerId` and, unless that owner already has the same bytes on a pin,
   * processes it and writes its files. Another person's image of the same bytes is never reused: the
   * answer (and the time it takes) must say nothing of what others uploaded. Throws AppError
   * INVALID_IMAGE, IMAGE_FETCH_REFUSED or IMAGE_FETCH_FAILED (all 400).
   */
  async stage(source: ImageSource, ownerId: string): Promise<StagedImage> {
    try {
      const { data, declaredType } = await this.bytesOf(source);
      if (data.length > this.deps.limits.maxBytes) {
        throw new MediaError('too_large', `the image is ${data.length} bytes; the limit is ${this.deps.limits.maxBytes}`);
      }
      // Cheap checks before the dedupe lookup, so a wrong content_type is refused even for known bytes.
      detectImageFormat(data, declaredType);
      const sha256 = createHash('sha256').update(data).digest('hex');
      const existing = await this.deps.images.findLiveOfOwner(ownerId, sha256);
      if (existing) return { kind: 'existing', image: existing };

      const processed = await processImage(data, declaredType, this.deps.limits);
      const id = this.deps.ids.next();
      const files: Array<[StoredImageSize, string, Buffer, string]> = [
        ...IMAGE_SIZES.map((size): [ImageSize, string, Buffer, string] => [
          size,
          'jpg',
          processed.variants[size].data,
          VARIANT_CONTENT_TYPE,
        ]),
        ['originals', originalExtension(processed.contentType), processed.original, processed.contentType],
      ];
      try {
        await Promise.all(
          files.map(([size, extension, bytes, type]) => this.deps.storage.put(imageStorageKey(id, size, extension), bytes, type)),
        );
      } catch (error) {
        await this.discardFiles(id, processed.contentType);
        throw error;
      }
      return {
        kind: 'new',
        image: {
          id,
          capability: newImageCapability(),
          owner_id: ownerId,
          sha256,
          width: processed.width,
          height: processed.height,
          content_type: processed.contentType,
          dominant_color: processed.dominantColor,
          byte_size: data.length,
        },
      };
    } catch (error) {
      if (isMediaError(error)) throw mediaErrorToAppError(error);
      throw error;
    }
  }

  /**
   * Records a staged image through `images` (bound to the caller's transaction) and returns its row.
   * If the owner stored the same bytes concurrently, returns that row and drops this upload's files.
   */
  async commit(staged: StagedImage, images: MediaRepository = this.deps.images): Promise<ImageRow> {
    if (staged.kind === 'existing') return staged.image;
    const row = await images.insertOrGet(staged.image);
    if (row.id !== staged.image.id) {
      // The winner committed before our insert returned, so nothing will ever refer to our files.
      void this.discardFiles(staged.image.id, staged.image.content_type).catch(() => undefined);
    }
    return row;
  }

  /**
   * One stored file of an image, by the capability in its URL and the file name ('600x.jpg',
   * 'originals.png'), or null when no pin shows such an image. A capability never issued, one whose
   * image no pin shows any more and one already collected take the same path: one index probe that
   * misses (MediaRepository.findServable).
   */
  async readFile(capability: string, file: string): Promise<ServedImageFile | null> {
    const name = parseFileName(file);
    if (!name || !isImageCapability(capability)) return null;
    const image = await this.deps.images.findServable(capability);
    if (!image) return null;
    const blob = await this.deps.storage.get(imageStorageKey(image.id, name.size, name.extension));
    if (!blob) return null;
    return { data: blob.data, contentType: blob.contentType, etag: `"${name.size}.${name.extension}"` };
  }

  /**
   * Deletes the rows and files of images no pin has shown for the grace period (the worker runs this
   * periodically). Returns how many it collected.
   */
  async collectUnreferenced(): Promise<number> {
    let collected = 0;
    for (;;) {
      const batch = await this.deps.images.collectUnreferenced(this.deps.limits.gcGraceHours, COLLECT_BATCH, (images) =>
        this.removeFiles(images),
      );
      collected += batch.length;
      if (batch.length < COLLECT_BATCH) return collected;
    }
  }

  private async bytesOf(source: ImageSource): Promise<{ data: Buffer; declaredType: string | undefined }> {
    if (source.kind === 'upload') return { data: source.data, declaredType: source.contentType };
    const fetched = await fetchImage(source.url, {
      maxBytes: this.deps.limits.maxBytes,
      timeoutMs: this.deps.limits.fetchTimeoutMs,
      allowHosts: this.deps.limits.fetchAllowHosts,
      ...(this.deps.lookup ? { lookup: this.deps.lookup } : {}),
    });
    // Web servers often label images loosely (text/plain, a missing type); only an image/* type is
    // taken as a claim about the format, anything else leaves it to the bytes.
    const type = fetched.contentType?.trim().toLowerCase();
    return { data: fetched.data, declaredType: type?.startsWith('image/') ? type : undefined };
  }

  private async discardFiles(imageId: string, contentType: string): Promise<void> {
    await Promise.allSettled(fileKeys(imageId, contentType).map((key) => this.deps.storage.delete(key)));
  }

  /** Deletes every file of the images; fails if any delete fails (so their rows stay for a retry). */
  private async removeFiles(images: readonly ImageFiles[]): Promise<void> {
    const keys = images.flatMap((image) => fileKeys(image.id, image.content_type));
    await Promise.all(keys.map((key) => this.deps.storage.delete(key)));
  }
}

function fileKeys(imageId: string, contentType: string): string[] {
  return [
    ...IMAGE_SIZES.map((size) => imageStorageKey(imageId, size)),
    imageStorageKey(imageId, 'originals', originalExtension(contentType)),
  ];
}

/** The size and extension a served file name asks for, or null for a name no image has. */
function parseFileName(file: string): { size: StoredImageSize; extension: string } | null {
  const match = /^([0-9a-z]+)\.([a-z]+)$/.exec(file);
  if (!match) return null;
  const [, size = '', extension = ''] = match;
  const known =
    ((IMAGE_SIZES as readonly string[]).includes(size) && extension === 'jpg') ||
    (size === 'originals' && ORIGINAL_EXTENSIONS.has(extension));
  return known ? { size: size as StoredImageSize, extension } : null;
}

/**
 * The client-facing error for an image that cannot be used. Every reason is a 400: an image over
 * the byte limit is bad input like any other (INVALID_IMAGE), whereas a request body too large to
 * even read is answered 413 by the HTTP layer.
 */
export function mediaErrorToAppError(error: MediaError): AppError {
  switch (error.reason) {
    case 'fetch_refused':
      return new AppError('IMAGE_FETCH_REFUSED', `The image URL may not be fetched: ${error.message}.`);
    case 'fetch_failed':
    case 'fetch_timeout':
      return new AppError('IMAGE_FETCH_FAILED', `The image URL could not be fetched: ${error.message}.`);
    case 'too_large':
    case 'too_many_pixels':
    case 'unsupported_type':
    case 'type_mismatch':
    case 'corrupt':
      return new AppError('INVALID_IMAGE', `The image could not be used: ${error.message}.`);
  }
}
