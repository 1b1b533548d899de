// A pin's picture in a rounded box of the image's own proportions (width and height come from the
// API), painted in its dominant colour until it arrives: nothing around it moves when it loads.
import { Image, Mask } from 'gestalt';
import type { PinImage as PinImageData } from '../api/queries';

export interface PinImageProps {
  image: PinImageData;
  alt: string;
  color: string | null;
  rounding: 4 | 6;
  loading: 'lazy' | 'eager';
}

export function PinImage({ image, alt, color, rounding, loading }: PinImageProps) {
  return (
    <Mask rounding={rounding}>
      <Image alt={alt} src={image.url} naturalWidth={image.width} naturalHeight={image.height} color={color ?? '#efefef'} loading={loading} />
    </Mask>
  );
}
