// v5 shapes for pins: PinCreate, PinUpdate, the save request, list queries and the `Pin` response,
// as Pinterest's OpenAPI file describes them (field names, length limits, nullability).
import { Type, type Static, type TSchema } from 'typebox';
import { PageQuery } from '../platform/http/pagination.js';

// Null first: with the app's type coercion, a union tried string-first turns a JSON null into "".
const Nullable = <T extends TSchema>(schema: T) => Type.Union([Type.Null(), schema]);
const Id = Type.String({ pattern: '^\\d+$', maxLength: 32 });

export const PIN_TITLE_MAX = 100;
export const PIN_DESCRIPTION_MAX = 800;
export const PIN_LINK_MAX = 2048;
export const PIN_ALT_TEXT_MAX = 500;

const Title = Nullable(Type.String({ maxLength: PIN_TITLE_MAX }));
const Description = Nullable(Type.String({ maxLength: PIN_DESCRIPTION_MAX }));
const Link = Nullable(Type.String({ maxLength: PIN_LINK_MAX }));
const AltText = Nullable(Type.String({ maxLength: PIN_ALT_TEXT_MAX }));

/**
 * Pinterest's PinMediaSource is a union keyed by `source_type`. It is checked field by field in
 * pin-media-source.ts rather than here, so that each mistake (an unsupported source type, a missing
 * `data`, a stray field) gets its own clear message instead of a generic "must match a schema".
 */
export const MediaSourceBody = Type.Object(
  {
    source_type: Type.String({ maxLength: 64 }),
  },
  {
    additionalProperties: true,
    description:
      'PinMediaSource: {source_type: "image_base64", content_type, data} or {source_type: "image_url", url}.',
  },
);

export const PinCreateBody = Type.Object(
  {
    // Optional in Pinterest's schema, required here: every pin lives on a board.
    board_id: Id,
    board_section_id: Type.Optional(Nullable(Id)),
    title: Type.Optional(Title),
    description: Type.Optional(Description),
    link: Type.Optional(Link),
    alt_text: Type.Optional(AltText),
    dominant_color: Type.Optional(Nullable(Type.String({ pattern: '^#[0-9A-Fa-f]{6}$' }))),
    media_source: Type.Optional(MediaSourceBody),
    parent_pin_id: Type.Optional(Nullable(Id)),
    // Promoted pins are not supported; generated clients may still send null.
    sponsor_id: Type.Optional(Type.Null()),
  },
  { additionalProperties: false },
);
export type PinCreateBody = Static<typeof PinCreateBody>;

export const PinUpdateBody = Type.Object(
  {
    title: Type.Optional(Title),
    description: Type.Optional(Description),
    link: Type.Optional(Link),
    alt_text: Type.Optional(AltText),
    board_id: Type.Optional(Id),
    board_section_id: Type.Optional(Nullable(Id)),
  },
  { additionalProperties: false },
);
export type PinUpdateBody = Static<typeof PinUpdateBody>;

export const PinSaveBody = Type.Object(
  {
    // Nullable in Pinterest's schema; Corkboard has no board-less saves, so a board is required.
    board_id: Nullable(Id),
    board_section_id: Type.Optional(Nullable(Id)),
  },
  { additionalProperties: false },
);
export type PinSaveBody = Static<typeof PinSaveBody>;

/** Path ids are plain strings: a malformed id answers 404 like an unknown one (never 400). */
export const PinParams = Type.Object({ pin_id: Type.String({ maxLength: 64 }) });
export const BoardPinsParams = Type.Object({ board_id: Type.String({ maxLength: 64 }) });
export const SectionPinsParams = Type.Object({
  board_id: Type.String({ maxLength: 64 }),
  section_id: Type.String({ maxLength: 64 }),
});

const CreativeType = Type.Enum([
  'REGULAR',
  'VIDEO',
  'SHOPPING',
  'CAROUSEL',
  'MAX_VIDEO',
  'SHOP_THE_PIN',
  'COLLECTION',
  'IDEA',
  'SHOWCASE',
  'QUIZ',
  'COLLAGE',
  'MAX_WIDTH_REGULAR_COLLECTION',
  'MAX_WIDTH_VIDEO_COLLECTION',
]);

// Parameters Pinterest defines for ads and metrics are accepted so generated clients work; they
// change nothing here (there are no promoted pins and no metrics yet).
const adsAndMetricsParams = {
  ad_account_id: Type.Optional(Type.String({ pattern: '^\\d+$', maxLength: 32 })),
  pin_metrics: Type.Optional(Type.Boolean()),
};

export const PinListQuery = Type.Object({
  ...PageQuery.properties,
  pin_filter: Type.Optional(
    Type.Union([Type.Literal('exclude_native'), Type.Literal('exclude_repins'), Type.Literal('has_been_promoted')]),
  ),
  include_protected_pins: Type.Optional(Type.Boolean({ default: false })),
  pin_type: Type.Optional(Type.Literal('PRIVATE')),
  creative_types: Type.Optional(Type.Array(CreativeType, { maxItems: 20 })),
  ...adsAndMetricsParams,
});
export type PinListQuery = Static<typeof PinListQuery>;

export const BoardPinsQuery = Type.Object({
  ...PageQuery.properties,
  creative_types: Type.Optional(Type.Array(CreativeType, { maxItems: 20 })),
  ...adsAndMetricsParams,
});
export type BoardPinsQuery = Static<typeof BoardPinsQuery>;

export const SectionPinsQuery = Type.Object({
  ...PageQuery.properties,
  ad_account_id: adsAndMetricsParams.ad_account_id,
});
export type SectionPinsQuery = Static<typeof SectionPinsQuery>;

export const PinGetQuery = Type.Object(adsAndMetricsParams);
export const PinWriteQuery = Type.Object({ ad_account_id: adsAndMetricsParams.ad_account_id });

const ImageDetails = Type.Object({ width: Type.Integer(), height: Type.Integer(), url: Type.String() });

export const PinSchema = Type.Object({
  id: Type.String(),
  created_at: Type.String({ format: 'date-time' }),
  link: Nullable(Type.String()),
  title: Nullable(Type.String()),
  description: Nullable(Type.String()),
  dominant_color: Nullable(Type.String()),
  alt_text: Nullable(Type.String()),
  creative_type: Type.Literal('REGULAR'),
  board_id: Type.String(),
  board_section_id: Nullable(Type.String()),
  board_owner: Type.Object({ username: Type.String() }),
  is_owner: Type.Boolean(),
  media: Type.Object({
    media_type: Type.Literal('image'),
    images: Type.Object({
      '150x150': ImageDetails,
      '400x300': ImageDetails,
      '600x': ImageDetails,
      '1200x': ImageDetails,
    }),
  }),
  parent_pin_id: Nullable(Type.String()),
  is_standard: Type.Boolean(),
  has_been_promoted: Type.Boolean(),
  pin_metrics: Type.Null(),
});
export type PinBody = Static<typeof PinSchema>;

export const PinListSchema = Type.Object({ items: Type.Array(PinSchema), bookmark: Nullable(Type.String()) });
