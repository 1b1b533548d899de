// Renders a pin as the v5 `Pin`. Corkboard pins are standard single-image pins that are never
// promoted; parent_pin_id is shown only to viewers who may see the parent pin.
import { presentImageSizes } from '../media/media.presenter.js';
import type { PinDetails } from './pin.repository.js';
import type { PinBody } from './pin.schemas.js';

export function presentPin(details: PinDetails, viewerId: string, publicBaseUrl: string): PinBody {
  const { pin } = details;
  return {
    id: pin.id,
    created_at: pin.created_at.toISOString(),
    link: pin.link,
    title: pin.title,
    description: pin.description,
    dominant_color: pin.dominant_color,
    alt_text: pin.alt_text,
    creative_type: 'REGULAR',
    board_id: pin.board_id,
    board_section_id: pin.board_section_id,
    board_owner: { username: details.boardOwnerUsername },
    is_owner: pin.owner_id === viewerId,
    media: { media_type: 'image', images: presentImageSizes(publicBaseUrl, details.image) },
    parent_pin_id: details.parentVisible ? pin.parent_pin_id : null,
    is_standard: true,
    has_been_promoted: false,
    pin_metrics: null,
  };
}
