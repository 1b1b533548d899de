// v5 shapes for boards: requests (BoardCreate, BoardWithUpdatePrivacyUpdate) and the `Board`
// response, as Pinterest's OpenAPI file describes them.
import { Type, type Static } from 'typebox';
import { PageQuery } from '../platform/http/pagination.js';

// Enums are plain `{type: string, enum}` so the served OpenAPI reads like Pinterest's.
const Privacy = Type.Enum(['PUBLIC', 'PROTECTED', 'SECRET'], { type: 'string' });

// Pinterest documents no limits for board names; we keep names to what its section names allow
// (1..180) and descriptions to the 500 characters its apps accept. A name must show something.
export const BOARD_NAME_MAX = 180;
export const BOARD_DESCRIPTION_MAX = 500;
const BoardName = Type.String({ minLength: 1, maxLength: BOARD_NAME_MAX, pattern: '\\S' });
// Null first: with type coercion on, a string branch tried first would turn null into "".
const BoardDescription = Type.Union([Type.Null(), Type.String({ maxLength: BOARD_DESCRIPTION_MAX })]);

export const BoardCreateBody = Type.Object(
  {
    name: BoardName,
    description: Type.Optional(BoardDescription),
    privacy: Type.Optional(Privacy),
    // Ad-only boards are not supported; generated clients may still send the default `false`.
    is_ads_only: Type.Optional(Type.Literal(false)),
  },
  { additionalProperties: false },
);
export type BoardCreateBody = Static<typeof BoardCreateBody>;

export const BoardUpdateBody = Type.Object(
  {
    name: Type.Optional(BoardName),
    description: Type.Optional(BoardDescription),
    // Pinterest's BoardUpdatePrivacy allows PUBLIC and SECRET; PROTECTED is accepted as an extension.
    privacy: Type.Optional(Privacy),
  },
  { additionalProperties: false },
);
export type BoardUpdateBody = Static<typeof BoardUpdateBody>;

export const BoardPrivacyFilter = Type.Enum(['ALL', 'PUBLIC', 'PROTECTED', 'SECRET', 'PUBLIC_AND_SECRET'], { type: 'string' });
export type BoardPrivacyFilter = Static<typeof BoardPrivacyFilter>;

export const BoardListQuery = Type.Object({ ...PageQuery.properties, privacy: Type.Optional(BoardPrivacyFilter) });
export type BoardListQuery = Static<typeof BoardListQuery>;

/** Path ids are plain strings: a malformed id answers 404 like an unknown one (never 400). */
export const BoardParams = Type.Object({ board_id: Type.String() });

const boardFields = {
  id: Type.String({ pattern: '^\\d+$' }),
  created_at: Type.String({ format: 'date-time' }),
  board_pins_modified_at: Type.String({ format: 'date-time' }),
  name: Type.String(),
  description: Type.Union([Type.String(), Type.Null()]),
  owner: Type.Object({ username: Type.String() }),
  pin_count: Type.Integer({ minimum: 0 }),
  follower_count: Type.Integer({ minimum: 0 }),
  collaborator_count: Type.Integer({ minimum: 0 }),
  media: Type.Object({
    image_cover_url: Type.Union([Type.String(), Type.Null()]),
    pin_thumbnail_urls: Type.Array(Type.String()),
  }),
};

export const BoardSchema = Type.Object({ ...boardFields, privacy: Privacy }, { $id: 'Board' });
export type BoardBody = Static<typeof BoardSchema>;

/**
 * PATCH's response (`BoardWithUpdatePrivacy`): Pinterest's privacy enum there is PUBLIC | SECRET,
 * so a PROTECTED board's update response leaves `privacy` out rather than break generated clients.
 */
export const BoardWithUpdatePrivacySchema = Type.Object(
  { ...boardFields, privacy: Type.Optional(Type.Enum(['PUBLIC', 'SECRET'], { type: 'string' })) },
  { $id: 'BoardWithUpdatePrivacy' },
);
export type BoardWithUpdatePrivacyBody = Static<typeof BoardWithUpdatePrivacySchema>;

// --- Sections (Pinterest's `BoardSection`) ---

export const SectionParams = Type.Object({ board_id: Type.String(), section_id: Type.String() });

export const SectionBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 180, pattern: '\\S' }) },
  { additionalProperties: false },
);
export type SectionBody = Static<typeof SectionBody>;

export const BoardSectionSchema = Type.Object({ id: Type.String({ pattern: '^\\d+$' }), name: Type.String() }, { $id: 'BoardSection' });

// --- Collaborators (extension) ---

const CollaboratorRole = Type.Enum(['viewer', 'editor'], { type: 'string' });

export const CollaboratorParams = Type.Object({ board_id: Type.String(), username: Type.String({ minLength: 1, maxLength: 64 }) });

export const CollaboratorInviteBody = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 64 }), role: CollaboratorRole },
  { additionalProperties: false },
);
export type CollaboratorInviteBody = Static<typeof CollaboratorInviteBody>;

export const CollaboratorRoleBody = Type.Object({ role: CollaboratorRole }, { additionalProperties: false });

export const CollaboratorSchema = Type.Object(
  {
    user: Type.Object({ id: Type.String({ pattern: '^\\d+$' }), username: Type.String() }),
    role: CollaboratorRole,
    created_at: Type.String({ format: 'date-time' }),
  },
  { $id: 'BoardCollaborator' },
);
