// Where a stored image's sizes live and where they are served. Files are stored under the image's
// id (an internal key: the media directory must never be served as it is) and served under its
// capability (image-capability.ts), which is what clients see. An image's files never change, so
// its URLs can be cached by clients and CDNs.
import type { ImageSize } from './image-processor.js';

export type StoredImageSize = ImageSize | 'originals';

/** Storage key of one size of an image: `images/<id>/<size>.jpg` (originals keep their type). */
export function imageStorageKey(imageId: string, size: StoredImageSize, extension = 'jpg'): string {
  return `images/${imageId}/${size}.${extension}`;
}

/** Public URL of one size of an image, served by GET /media/images/:capability/:file. */
export function imageUrl(publicBaseUrl: string, capability: string, size: StoredImageSize, extension = 'jpg'): string {
  return `${publicBaseUrl}/media/images/${capability}/${size}.${extension}`;
}
