// GraphQL for related pins: Pin.relatedPins and Query.relatedPins(pinId), the same pages as
// GET /v5/pins/{pin_id}/related (endCursor is its bookmark). Pins of a list asking for their related
// pins are batched by the relatedPins DataLoader: one walk each, one privacy check for them all.
import { viewerWith, type GraphqlContext } from '../graphql/context.js';
import { pinNode, type PinNode } from '../graphql/nodes.js';
import { entityIdOf, pageQueryOf, toConnection, type ConnectionArgs } from '../graphql/relay.js';
import type { GraphqlModule } from '../graphql/types.js';
import type { Scope } from '../platform/http/viewer.js';
import type { Page } from '../platform/http/pagination.js';
import type { PinDetails } from '../pins/pin.repository.js';

// As GET /v5/pins/{pin_id}/related.
const READ: Scope[] = ['boards:read', 'pins:read'];

const typeDefs = /* GraphQL */ `
  extend type Pin {
    "GET /v5/pins/{pin_id}/related (boards:read, pins:read): pins saved alongside this one, best first, public pins only."
    relatedPins(first: Int = 25, after: String): PinConnection @cost(weight: 1000, kind: RELATED_PINS_WALK)
  }

  extend type Query {
    "GET /v5/pins/{pin_id}/related (boards:read, pins:read). Takes the pin's global id or v5 id."
    relatedPins(pinId: ID!, first: Int = 25, after: String): PinConnection @cost(weight: 1000, kind: RELATED_PINS_WALK)
  }
`;

function relatedConnection(page: Page<PinDetails>) {
  return toConnection(page, pinNode);
}

export const relatedPinsGraphql: GraphqlModule = {
  typeDefs,
  resolvers: {
    Query: {
      relatedPins: async (_root: unknown, args: ConnectionArgs & { pinId: string }, context: GraphqlContext) => {
        viewerWith(context, READ);
        const query = pageQueryOf(args);
        return relatedConnection(await context.loaders.relatedPins.load({ pinId: entityIdOf(args.pinId, 'Pin'), query }));
      },
    },
    Pin: {
      relatedPins: async ({ details }: PinNode, args: ConnectionArgs, context: GraphqlContext) => {
        viewerWith(context, READ);
        const query = pageQueryOf(args);
        return relatedConnection(await context.loaders.relatedPins.load({ pinId: details.pin.id, query }));
      },
    },
  },
};
