// GraphQL for search: over the viewer's own pins and boards (search.rest.ts's twin) and over
// everyone's public pins with typeahead (public-search.rest.ts's twin); same services, scopes and
// bookmarks. Results are ordered by rank, which the items do not carry, so only the last edge of a
// page has a cursor (equal to pageInfo.endCursor).
import type { Scope } from '../platform/http/viewer.js';
import { pageRequest } from '../platform/http/pagination.js';
import { viewerWith, type GraphqlContext } from '../graphql/context.js';
import { validInput } from '../graphql/input.js';
import { boardFromCard, pinNode } from '../graphql/nodes.js';
import { pageQueryOf, toConnection, type ConnectionArgs } from '../graphql/relay.js';
import type { GraphqlModule } from '../graphql/types.js';
import { Type } from 'typebox';
import { SearchBoardsQuery, SearchPinsQuery } from './search.schemas.js';
import { SearchPartnerPinsQuery, TermsSuggestedQuery } from './public-search.schemas.js';

// GraphQL's `first` is REST's `limit`: at most 50 results a page, as Pinterest's search_partner_pins.
const PublicSearchInput = Type.Object({ term: SearchPartnerPinsQuery.properties.term, limit: SearchPartnerPinsQuery.properties.limit });

const PINS: Scope[] = ['boards:read', 'pins:read'];
const BOARDS: Scope[] = ['boards:read'];

const typeDefs = /* GraphQL */ `
  extend type Query {
    "GET /v5/search/pins (boards:read, pins:read): the viewer's own pins, best match first."
    searchPins(query: String!, first: Int = 25, after: String): PinConnection @cost(weight: 300, kind: SEARCH)
    "GET /v5/search/boards (boards:read): the viewer's own boards, best match first (all, newest first, without a query)."
    searchBoards(query: String, first: Int = 25, after: String): BoardConnection @cost(weight: 300, kind: SEARCH)
    "GET /v5/search/partner/pins (boards:read, pins:read): everyone's public pins, best match first, one per picture (first: 1-50)."
    search(term: String!, first: Int = 10, after: String): PinConnection @cost(weight: 500, kind: SEARCH)
    "GET /v5/terms/suggested (boards:read, pins:read): what public pins and boards are called, beginning with term (limit: 1-10)."
    suggestedTerms(term: String!, limit: Int = 4): [String!]!
  }
`;

export const searchGraphql: GraphqlModule = {
  typeDefs,
  resolvers: {
    Query: {
      searchPins: async (_root: unknown, args: ConnectionArgs & { query: string }, context: GraphqlContext) => {
        const viewer = viewerWith(context, PINS);
        const page = pageQueryOf(args);
        const { query } = validInput(SearchPinsQuery, { ...page, query: args.query });
        return toConnection(await context.services.search.searchPins(viewer, query, pageRequest(page, 2)), pinNode);
      },
      searchBoards: async (_root: unknown, args: ConnectionArgs & { query?: string | null }, context: GraphqlContext) => {
        const viewer = viewerWith(context, BOARDS);
        const page = pageQueryOf(args);
        const { query } = validInput(SearchBoardsQuery, { ...page, query: args.query ?? undefined });
        return toConnection(await context.services.search.searchBoards(viewer, query, pageRequest(page, 2)), boardFromCard);
      },
      search: async (_root: unknown, args: ConnectionArgs & { term: string }, context: GraphqlContext) => {
        const viewer = viewerWith(context, PINS);
        const page = pageQueryOf({ ...args, first: args.first ?? 10 });
        const { term, limit } = validInput(PublicSearchInput, { term: args.term, limit: page.page_size });
        const { after } = pageRequest(page, 3);
        return toConnection(await context.services.publicSearch.searchPins(viewer, term, { after, limit: limit ?? 10 }), pinNode);
      },
      suggestedTerms: async (_root: unknown, args: { term: string; limit?: number | null }, context: GraphqlContext) => {
        viewerWith(context, PINS);
        const { term, limit } = validInput(TermsSuggestedQuery, { term: args.term, limit: args.limit ?? 4 });
        return context.services.publicSearch.suggestedTerms(term, limit ?? 4);
      },
    },
  },
};
