// Renders boards, sections and collaborators as their v5 JSON. A board's cover is its newest pin's
// image and its thumbnails the newest few; the counts shown are the board's own, which only people
// who may read the board ever see.
import { imageUrl } from '../media/image-urls.js';
import type { BoardSectionRow } from '../platform/db/schema.js';
import type { CollaboratorRow } from './board-members.repository.js';
import type { BoardBody, BoardWithUpdatePrivacyBody } from './board.schemas.js';
import type { BoardCard } from './board.service.js';

export function presentBoard(card: BoardCard, publicBaseUrl: string): BoardBody {
  const { board } = card;
  const cover = card.imageCapabilities[0];
  return {
    id: board.id,
    created_at: board.created_at.toISOString(),
    board_pins_modified_at: board.board_pins_modified_at.toISOString(),
    name: board.name,
    description: board.description,
    privacy: board.privacy,
    owner: { username: card.ownerUsername },
    pin_count: board.pin_count,
    follower_count: board.follower_count,
    collaborator_count: board.collaborator_count,
    media: {
      image_cover_url: cover === undefined ? null : imageUrl(publicBaseUrl, cover, '600x'),
      pin_thumbnail_urls: card.imageCapabilities.map((capability) => imageUrl(publicBaseUrl, capability, '150x150')),
    },
  };
}

/** PATCH's `BoardWithUpdatePrivacy`: its privacy enum has no PROTECTED, so that value is left out. */
export function presentUpdatedBoard(card: BoardCard, publicBaseUrl: string): BoardWithUpdatePrivacyBody {
  const { privacy, ...rest } = presentBoard(card, publicBaseUrl);
  return privacy === 'PROTECTED' ? rest : { ...rest, privacy };
}

export function presentSection(section: BoardSectionRow): { id: string; name: string } {
  return { id: section.id, name: section.name };
}

export interface CollaboratorBody {
  user: { id: string; username: string };
  role: CollaboratorRow['role'];
  created_at: string;
}

export function presentCollaborator(row: CollaboratorRow): CollaboratorBody {
  return { user: { id: row.user_id, username: row.username }, role: row.role, created_at: row.created_at.toISOString() };
}
