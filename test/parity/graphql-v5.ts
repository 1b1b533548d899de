// GraphQL selections that ask for every field of a type, and converters from the GraphQL
// (camelCase) result back to the v5 JSON REST returns, so parity tests compare whole objects.
import { expect } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import type { GraphqlResponse } from '../../src/graphql/graphql-test-support.js';

export const USER_FIELDS = `entityId username accountType about websiteUrl profileImage businessName
  boardCount pinCount followerCount followingCount monthlyViews`;

export const BOARD_FIELDS = `id entityId createdAt boardPinsModifiedAt name description privacy owner { username }
  pinCount followerCount collaboratorCount media { imageCoverUrl pinThumbnailUrls }`;

const IMAGE = '{ width height url }';
export const PIN_FIELDS = `id entityId createdAt link title description dominantColor altText creativeType boardId
  boardSectionId boardOwner { username } isOwner parentPinId isStandard hasBeenPromoted
  media { mediaType images { image150x150 ${IMAGE} image400x300 ${IMAGE} image600x ${IMAGE} image1200x ${IMAGE} } }`;

export const SECTION_FIELDS = 'id entityId name';
export const COLLABORATOR_FIELDS = 'user { entityId username } role createdAt';

type Json = Record<string, unknown>;
const get = <T>(value: Json, key: string): T => value[key] as T;

export function userToV5(user: Json): Json {
  const account: Json = {
    id: user.entityId,
    username: user.username,
    account_type: user.accountType,
    about: user.about,
    website_url: user.websiteUrl,
    business_name: user.businessName,
    board_count: user.boardCount,
    pin_count: user.pinCount,
    follower_count: user.followerCount,
    following_count: user.followingCount,
    monthly_views: user.monthlyViews,
  };
  if (user.profileImage !== null) account.profile_image = user.profileImage;
  return account;
}

export function boardToV5(board: Json): Json {
  const media = get<Json>(board, 'media');
  return {
    id: board.entityId,
    created_at: board.createdAt,
    board_pins_modified_at: board.boardPinsModifiedAt,
    name: board.name,
    description: board.description,
    privacy: board.privacy,
    owner: board.owner,
    pin_count: board.pinCount,
    follower_count: board.followerCount,
    collaborator_count: board.collaboratorCount,
    media: { image_cover_url: media.imageCoverUrl, pin_thumbnail_urls: media.pinThumbnailUrls },
  };
}

export function pinToV5(pin: Json): Json {
  const media = get<Json>(pin, 'media');
  const images = get<Json>(media, 'images');
  return {
    id: pin.entityId,
    created_at: pin.createdAt,
    link: pin.link,
    title: pin.title,
    description: pin.description,
    dominant_color: pin.dominantColor,
    alt_text: pin.altText,
    creative_type: pin.creativeType,
    board_id: pin.boardId,
    board_section_id: pin.boardSectionId,
    board_owner: pin.boardOwner,
    is_owner: pin.isOwner,
    media: {
      media_type: media.mediaType,
      images: { '150x150': images.image150x150, '400x300': images.image400x300, '600x': images.image600x, '1200x': images.image1200x },
    },
    parent_pin_id: pin.parentPinId,
    is_standard: pin.isStandard,
    has_been_promoted: pin.hasBeenPromoted,
    pin_metrics: null,
  };
}

export function sectionToV5(section: Json): Json {
  return { id: section.entityId, name: section.name };
}

export function collaboratorToV5(collaborator: Json): Json {
  const user = get<Json>(collaborator, 'user');
  return { user: { id: user.entityId, username: user.username }, role: collaborator.role, created_at: collaborator.createdAt };
}

export function userSummaryToV5(user: Json): Json {
  return { type: 'user', id: user.entityId, username: user.username };
}

/** Follows `path` (dot-separated) into a GraphQL result. */
export function at(data: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => (value === null || value === undefined ? value : (value as Json)[key]), data);
}

/** REST answered an error and GraphQL answered the same catalogue entry at `path` (null there). */
export function expectSameError(rest: LightMyRequestResponse, graphql: GraphqlResponse, path: string): void {
  expect(rest.statusCode, rest.body).toBeGreaterThanOrEqual(400);
  const restCode = rest.json<{ code: number }>().code;
  expect(graphql.errors.map((error) => error.extensions.v5Code), JSON.stringify(graphql.body)).toEqual([restCode]);
  expect(at(graphql.data, path)).toBeNull();
}
