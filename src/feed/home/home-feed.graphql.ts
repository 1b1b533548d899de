// GraphQL for the home feed: Query.homeFeed(first, after), the same pages as GET /v5/feeds/home
// (cursors are its bookmarks). Each pin's board, pinner and section come through the request's
// DataLoaders like every other Pin.
import { viewerWith, type GraphqlContext } from '../../graphql/context.js';
import { pinNode } from '../../graphql/nodes.js';
import { pageQueryOf, toConnection, type ConnectionArgs } from '../../graphql/relay.js';
import type { GraphqlModule } from '../../graphql/types.js';
import { HOME_FEED_SCOPES } from './home-feed.rest.js';

const typeDefs = /* GraphQL */ `
  extend type Query {
    """
    GET /v5/feeds/home (boards:read, pins:read): pins from the people and boards the viewer follows,
    blended with pins picked for them, best first. Pass endCursor as after for the next page.
    """
    homeFeed(first: Int = 25, after: String): PinConnection @cost(weight: 2000, kind: HOME_FEED)
  }
`;

export const homeFeedGraphql: GraphqlModule = {
  typeDefs,
  resolvers: {
    Query: {
      homeFeed: async (_root: unknown, args: ConnectionArgs, context: GraphqlContext) => {
        const viewer = viewerWith(context, HOME_FEED_SCOPES);
        const page = await context.services.homeFeed.page(viewer, pageQueryOf(args));
        return toConnection(page, (item) => pinNode(item.details), (item) => item.key);
      },
    },
  },
};
