// GraphQL for a person's profile lists (profiles.rest.ts's twin: same service, scopes and bookmarks):
// User.boards and User.pins, newest first, holding only what the viewer may read.
import type { Scope } from '../platform/http/viewer.js';
import { pageRequest } from '../platform/http/pagination.js';
import { viewerWith, type GraphqlContext } from '../graphql/context.js';
import { boardFromCard, pinNode, type UserNode } from '../graphql/nodes.js';
import { pageQueryOf, toConnection, type ConnectionArgs } from '../graphql/relay.js';
import type { GraphqlModule } from '../graphql/types.js';

const BOARDS: Scope[] = ['boards:read'];
const PINS: Scope[] = ['boards:read', 'pins:read'];

const typeDefs = /* GraphQL */ `
  extend type User {
    "GET /v5/users/{username}/boards (boards:read): the boards this person owns that the viewer may read, newest first."
    boards(first: Int = 25, after: String): BoardConnection
    "GET /v5/users/{username}/pins (boards:read, pins:read): pins this person made or saved, on boards the viewer may read, newest first."
    pins(first: Int = 25, after: String): PinConnection
  }
`;

export const profilesGraphql: GraphqlModule = {
  typeDefs,
  resolvers: {
    User: {
      boards: async (user: UserNode, args: ConnectionArgs, context: GraphqlContext) => {
        const viewer = viewerWith(context, BOARDS);
        return toConnection(await context.services.profiles.boardsOf(viewer, user.id, pageRequest(pageQueryOf(args))), boardFromCard, (card) => [card.board.id]);
      },
      pins: async (user: UserNode, args: ConnectionArgs, context: GraphqlContext) => {
        const viewer = viewerWith(context, PINS);
        return toConnection(await context.services.profiles.pinsOf(viewer, user.id, pageRequest(pageQueryOf(args))), pinNode, (details) => [details.pin.id]);
      },
    },
  },
};
