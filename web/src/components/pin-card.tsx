// One pin in a grid: its image (PinImage: sized before it arrives) and its title, linking to its close-up.
import { Box, Text } from 'gestalt';
import type { PinCardData } from '../api/queries';
import { paths } from '../router';
import { AppLink } from './app-link';
import { PinImage } from './pin-image';

export function PinCard({ pin }: { pin: PinCardData }) {
  const image = pin.media.images.image600x;
  const label = pin.title ?? pin.altText ?? `Pin by ${pin.pinner.username}`;
  return (
    <AppLink href={paths.pin(pin.entityId)} className="pin-card" aria-label={label} data-pin-id={pin.entityId}>
      <PinImage image={image} alt={pin.altText ?? pin.title ?? ''} color={pin.dominantColor} rounding={4} loading="lazy" />
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
