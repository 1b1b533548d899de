// An image as the v5 API shows it: pin.media.images, the four Pinterest sizes with their real
// dimensions and absolute URLs (named by the image's capability: only readers of the pin get them).
import { IMAGE_SIZES, variantDimensions, type ImageSize } from './image-processor.js';
import { imageUrl } from './image-urls.js';

export interface ImageDetailsBody {
  width: number;
  height: number;
  url: string;
}

export type ImageSizesBody = Record<ImageSize, ImageDetailsBody>;

export function presentImageSizes(
  publicBaseUrl: string,
  image: { capability: string; width: number; height: number },
): ImageSizesBody {
  const sizes = {} as ImageSizesBody;
  for (const size of IMAGE_SIZES) {
    sizes[size] = { ...variantDimensions(image.width, image.height, size), url: imageUrl(publicBaseUrl, image.capability, size) };
  }
  return sizes;
}
