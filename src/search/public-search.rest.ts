// Discovery over everyone's public pins: GET /v5/search/partner/pins (search), GET /v5/terms/suggested
// (typeahead) and GET /v5/terms/related. Pinterest asks for the ads:read scope on the terms routes
// (they serve advertisers there); here they read what public pins and boards are called, so they
// take the scopes of reading pins and boards, like search.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { viewerOf } from '../platform/http/auth-hook.js';
import { commonErrors } from '../platform/http/schemas.js';
import { PaginatedSchema, decodeBookmark, toV5List } from '../platform/http/pagination.js';
import { presentImageSizes } from '../media/media.presenter.js';
import type { PinDetails } from '../pins/pin.repository.js';
import type { PublicSearchService } from './public-search.service.js';
import {
  RelatedTermsSchema,
  SEARCH_PINS_DEFAULT_LIMIT,
  SearchPartnerPinsQuery,
  SummaryPinSchema,
  TermsRelatedQuery,
  TermsSuggestedQuery,
  TermsSuggestedResponse,
  type SummaryPinBody,
} from './public-search.schemas.js';

export interface PublicSearchRoutesDeps {
  publicSearch: PublicSearchService;
  publicBaseUrl: string;
}

export function presentSummaryPin(details: PinDetails, publicBaseUrl: string): SummaryPinBody {
  const { pin } = details;
  return {
    id: pin.id,
    title: pin.title,
    description: pin.description,
    alt_text: pin.alt_text,
    link: pin.link,
    media: { media_type: 'image', images: presentImageSizes(publicBaseUrl, details.image) },
  };
}

const READ_SCOPES = ['boards:read', 'pins:read'] as const;

export async function publicSearchRoutes(app: FastifyInstance, deps: PublicSearchRoutesDeps): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  api.get(
    '/v5/search/partner/pins',
    {
      config: { scopes: [...READ_SCOPES], rateCategory: 'expensive' },
      schema: {
        tags: ['search'],
        summary: "Search everyone's public pins, best match first",
        operationId: 'search_partner_pins',
        querystring: SearchPartnerPinsQuery,
        response: { 200: PaginatedSchema(SummaryPinSchema), ...commonErrors },
      },
    },
    async (request) => {
      const { term, bookmark, limit } = request.query;
      const page = await deps.publicSearch.searchPins(viewerOf(request), term, {
        after: bookmark ? decodeBookmark(bookmark, 3) : null,
        limit: limit ?? SEARCH_PINS_DEFAULT_LIMIT,
      });
      return toV5List(page, (details) => presentSummaryPin(details, deps.publicBaseUrl));
    },
  );

  api.get(
    '/v5/terms/suggested',
    {
      // A typeahead asks once a keystroke: it counts as a read, and its statement is bounded by the
      // prefix indexes (pins_title_prefix_idx, boards_name_prefix_idx).
      config: { scopes: [...READ_SCOPES], rateCategory: 'reads' },
      schema: {
        tags: ['terms'],
        summary: 'Terms that public pins and boards are called, beginning with the input term',
        operationId: 'terms_suggested/list',
        querystring: TermsSuggestedQuery,
        response: { 200: TermsSuggestedResponse, ...commonErrors },
      },
    },
    async (request) => {
      viewerOf(request);
      return deps.publicSearch.suggestedTerms(request.query.term, request.query.limit ?? 4);
    },
  );

  api.get(
    '/v5/terms/related',
    {
      config: { scopes: [...READ_SCOPES], rateCategory: 'expensive' },
      schema: {
        tags: ['terms'],
        summary: 'Terms found with each input term on public pins and boards',
        operationId: 'terms_related/list',
        querystring: TermsRelatedQuery,
        response: { 200: RelatedTermsSchema, ...commonErrors },
      },
    },
    async (request) => {
      viewerOf(request);
      const lists = await deps.publicSearch.relatedTerms(request.query.terms);
      return {
        id: lists[0]?.term ?? '',
        related_term_count: lists.reduce((sum, list) => sum + list.related.length, 0),
        related_terms_list: lists.map((list) => ({ term: list.term, related_terms: list.related })),
      };
    },
  );
}
