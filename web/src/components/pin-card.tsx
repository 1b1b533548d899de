// One pin in a grid: its image in a box of the image's own proportions (known from the API, so
// nothing moves when the image arrives), painted in its dominant colour meanwhile, and its title.
import { Box, Image, Mask, Text } from 'gestalt';
import type { PinCardData } from '../api/queries';
import { paths } from '../router';
import { AppLink } from './app-link';

export function PinCard({ pin }: { pin: PinCardData }) {
  const image = pin.media.images.image600x;
  const label = pin.title ?? pin.altText ?? `Pin by ${pin.pinner.username}`;
  return (
    <AppLink href={paths.pin(pin.entityId)} className="pin-card" aria-label={label} data-pin-id={pin.entityId}>
      <Mask rounding={4}>
        <Image
          alt={pin.altText ?? pin.title ?? ''}
          src={image.url}
          naturalWidth={image.width}
          naturalHeight={image.height}
          color={pin.dominantColor ?? '#efefef'}
          loading="lazy"
        />
      </Mask>
      {pin.title ? (
        <Box paddingX={1} paddingY={2}>
          <Text size="200" weight="bold" lineClamp={2}>
            {pin.title}
          </Text>
        </Box>
      ) : null}
    </AppLink>
  );
}
