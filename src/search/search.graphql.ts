// GraphQL for search over the viewer's own pins and boards (search.rest.ts's twin: same service,
// scopes and bookmarks). Results are ordered by rank, which the items do not carry, so only the
// last edge of a page has a cursor (equal to pageInfo.endCursor).
import type { Scope } from '../platform/http/viewer.js';
import { pageRequest } from '../platform/http/pagination.js';
import { viewerWith, type GraphqlContext } from '../graphql/context.js';
import { validInput } from '../graphql/input.js';
import { boardFromCard, pinNode } from '../graphql/nodes.js';
import { pageQueryOf, toConnection, type ConnectionArgs } from '../graphql/relay.js';
import type { GraphqlModule } from '../graphql/types.js';
import { SearchBoardsQuery, SearchPinsQuery } from './search.schemas.js';

const PINS: Scope[] = ['boards:read', 'pins:read'];
const BOARDS: Scope[] = ['boards:read'];

const typeDefs = /* GraphQL */ `
  extend type Query {
    "GET /v5/search/pins (boards:read, pins:read): the viewer's own pins, best match first."
    searchPins(query: String!, first: Int = 25, after: String): PinConnection @cost(weight: 300, kind: SEARCH)
    "GET /v5/search/boards (boards:read): the viewer's own boards, best match first (all, newest first, without a query)."
    searchBoards(query: String, first: Int = 25, after: String): BoardConnection @cost(weight: 300, kind: SEARCH)
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
    },
  },
};
