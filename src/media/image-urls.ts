// Where a stored image's sizes are served. Images are immutable (keyed by image id), so these URLs
// can be cached forever by clients and CDNs.
import type { ImageSize } from './image-processor.js';

export type StoredImageSize = ImageSize | 'originals';

/** Storage key of one size of an image: `images/<id>/<size>.jpg` (originals keep their type). */
export function imageStorageKey(imageId: string, size: StoredImageSize, extension = 'jpg'): string {
  return `images/${imageId}/${size}.${extension}`;
}

/** Public URL of one size of an image, served by GET /media/images/:imageId/:file. */
export function imageUrl(publicBaseUrl: string, imageId: string, size: StoredImageSize, extension = 'jpg'): string {
  return `${publicBaseUrl}/media/images/${imageId}/${size}.${extension}`;
}
