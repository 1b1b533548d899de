// v5 shapes of search_partner_pins, terms_suggested and terms_related, as Pinterest's OpenAPI file
// describes them: parameters (`limit` 1..50 default 10 for pins, 1..10 default 4 for terms) and the
// SummaryPin, TermsSuggestedResponse and RelatedTerms answers.
import { Type, type Static } from 'typebox';
import { PinSchema } from '../pins/pin.schemas.js';
import { RELATED_TERMS_MAX, TERM_MAX } from './public-search.service.js';

const Nullable = <T extends import('typebox').TSchema>(schema: T) => Type.Union([Type.Null(), schema]);

export const SEARCH_PINS_DEFAULT_LIMIT = 10;

export const SearchPartnerPinsQuery = Type.Object({
  term: Type.String({ maxLength: 500, description: 'Words to look for in public pins: their titles, descriptions, alt text and board names.' }),
  // Required by Pinterest; accepted and checked, results are the same for every country.
  country_code: Type.String({ pattern: '^[A-Za-z]{2}$', description: 'Two letter country code (ISO 3166-1 alpha-2).' }),
  locale: Type.Optional(Type.String({ maxLength: 35, pattern: '^[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})*$' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: SEARCH_PINS_DEFAULT_LIMIT })),
  bookmark: Type.Optional(Type.String({ maxLength: 512 })),
});
export type SearchPartnerPinsQuery = Static<typeof SearchPartnerPinsQuery>;

export const SummaryPinSchema = Type.Object({
  id: Type.String(),
  title: Nullable(Type.String()),
  description: Nullable(Type.String()),
  alt_text: Nullable(Type.String()),
  link: Nullable(Type.String()),
  media: PinSchema.properties.media,
});
export type SummaryPinBody = Static<typeof SummaryPinSchema>;

export const TermsSuggestedQuery = Type.Object({
  term: Type.String({ maxLength: TERM_MAX }),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10, default: 4 })),
});
export type TermsSuggestedQuery = Static<typeof TermsSuggestedQuery>;

export const TermsSuggestedResponse = Type.Array(Type.String());

export const TermsRelatedQuery = Type.Object({
  terms: Type.Array(Type.String({ maxLength: TERM_MAX * RELATED_TERMS_MAX }), {
    minItems: 1,
    maxItems: RELATED_TERMS_MAX,
    description: 'Terms, repeated (terms=a&terms=b) or comma-separated (terms=a,b); at most 10 in all.',
  }),
});
export type TermsRelatedQuery = Static<typeof TermsRelatedQuery>;

export const RelatedTermsSchema = Type.Object({
  id: Type.String(),
  related_term_count: Type.Integer(),
  related_terms_list: Type.Array(Type.Object({ term: Type.String(), related_terms: Type.Array(Type.String()) })),
});
