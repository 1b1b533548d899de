// GraphQL for pins: the Pin type with its relations (board, pinner, section, parent pin), `pin(id)`,
// the pin lists of a board, a section and the viewer, and the pin mutations. Reads and writes call
// PinService exactly as pins.rest.ts does, with its scopes; a pin on a board the viewer may not
// read is null with PIN_NOT_FOUND.
import { AppError } from '../platform/errors.js';
import type { Scope } from '../platform/http/viewer.js';
import { viewerWith, type GraphqlContext } from '../graphql/context.js';
import { validInput } from '../graphql/input.js';
import { boardFromAccess, pinNode, sectionNode, userRef, type BoardNode, type PinNode, type SectionNode } from '../graphql/nodes.js';
import { entityIdOf, pageQueryOf, toConnection, toGlobalId, type ConnectionArgs } from '../graphql/relay.js';
import type { GraphqlModule, TypeResolvers } from '../graphql/types.js';
import { presentPin } from './pin.presenter.js';
import type { PinDetails } from './pin.repository.js';
import { PinCreateBody, PinSaveBody, PinUpdateBody, type PinBody, type PinListQuery } from './pin.schemas.js';

// The scopes Pinterest's OpenAPI file lists for the pin operations (as in pins.rest.ts).
const READ: Scope[] = ['boards:read', 'pins:read'];
const WRITE: Scope[] = ['boards:read', 'boards:write', 'pins:read', 'pins:write'];

const typeDefs = /* GraphQL */ `
  type PinImage {
    width: Int!
    height: Int!
    url: String!
  }

  "The v5 sizes 150x150, 400x300, 600x and 1200x."
  type PinImages {
    image150x150: PinImage!
    image400x300: PinImage!
    image600x: PinImage!
    image1200x: PinImage!
  }

  type PinMedia {
    mediaType: String!
    images: PinImages!
  }

  type BoardOwner {
    username: String!
  }

  "A pin (v5 Pin)."
  type Pin implements Node {
    id: ID!
    "The v5 pin id."
    entityId: String!
    createdAt: String!
    link: String
    title: String
    description: String
    dominantColor: String
    altText: String
    creativeType: String!
    "The v5 id of the pin's board."
    boardId: String!
    boardSectionId: String
    boardOwner: BoardOwner!
    isOwner: Boolean!
    media: PinMedia!
    "The pin this one was saved from, when the viewer may see it."
    parentPinId: String
    isStandard: Boolean!
    hasBeenPromoted: Boolean!
    "Who made or saved the pin."
    pinner: User!
    "The pin's board (null with BOARD_NOT_FOUND when the token may read the pin but not the board, e.g. SECRET without boards:read_secret)."
    board: Board
    section: BoardSection
    parentPin: Pin
  }

  type PinEdge {
    "The item's bookmark; on search results only the page's last edge has one."
    cursor: String
    node: Pin!
  }

  type PinConnection {
    edges: [PinEdge!]!
    pageInfo: PageInfo!
  }

  enum PinFilter {
    exclude_native
    exclude_repins
    has_been_promoted
  }

  enum PinType {
    PRIVATE
  }

  extend type Board {
    "GET /v5/boards/{board_id}/pins (boards:read, pins:read), newest first."
    pins(first: Int = 25, after: String): PinConnection
  }

  extend type BoardSection {
    "GET /v5/boards/{board_id}/sections/{section_id}/pins (boards:read, pins:read), newest first."
    pins(first: Int = 25, after: String): PinConnection
  }

  extend type Viewer {
    "GET /v5/pins (boards:read, pins:read): the viewer's own pins, newest first."
    pins(
      first: Int = 25
      after: String
      pinFilter: PinFilter
      includeProtectedPins: Boolean = false
      pinType: PinType
    ): PinConnection
  }

  extend type Query {
    "GET /v5/pins/{pin_id} (boards:read, pins:read). Takes the global id or the v5 id."
    pin(id: ID!): Pin
  }

  "PinMediaSource: {sourceType: image_base64, contentType, data} or {sourceType: image_url, url}."
  input MediaSourceInput {
    sourceType: String!
    contentType: String
    data: String
    url: String
    isStandard: Boolean
  }

  input CreatePinInput {
    boardId: ID!
    boardSectionId: ID
    title: String
    description: String
    link: String
    altText: String
    dominantColor: String
    mediaSource: MediaSourceInput
    "Makes the pin a save of this pin (its image unless mediaSource is given)."
    parentPinId: ID
  }

  input UpdatePinInput {
    title: String
    description: String
    link: String
    altText: String
    boardId: ID
    boardSectionId: ID
  }

  input SavePinInput {
    boardId: ID!
    boardSectionId: ID
  }

  extend type Mutation {
    "POST /v5/pins (boards:read, boards:write, pins:read, pins:write)."
    createPin(input: CreatePinInput!): Pin @cost(weight: 1000, kind: PIN_CREATION)
    "PATCH /v5/pins/{pin_id}: text, and moving to another board or section."
    updatePin(id: ID!, input: UpdatePinInput!): Pin
    "DELETE /v5/pins/{pin_id}; answers the deleted pin's global id."
    deletePin(id: ID!): ID
    "POST /v5/pins/{pin_id}/save: the viewer's own copy on one of their boards."
    savePin(id: ID!, input: SavePinInput!): Pin
  }
`;

// Each pin is presented once per request, however many of its fields are asked for.
const presented = new WeakMap<PinDetails, PinBody>();

function v5(node: PinNode, context: GraphqlContext): PinBody {
  let body = presented.get(node.details);
  if (!body) {
    body = presentPin(node.details, context.viewer?.userId ?? '', context.publicBaseUrl);
    presented.set(node.details, body);
  }
  return body;
}

const Pin: TypeResolvers<PinNode> = {
  id: (node) => toGlobalId('Pin', node.details.pin.id),
  entityId: (node, _args, context) => v5(node, context).id,
  createdAt: (node, _args, context) => v5(node, context).created_at,
  link: (node, _args, context) => v5(node, context).link,
  title: (node, _args, context) => v5(node, context).title,
  description: (node, _args, context) => v5(node, context).description,
  dominantColor: (node, _args, context) => v5(node, context).dominant_color,
  altText: (node, _args, context) => v5(node, context).alt_text,
  creativeType: (node, _args, context) => v5(node, context).creative_type,
  boardId: (node, _args, context) => v5(node, context).board_id,
  boardSectionId: (node, _args, context) => v5(node, context).board_section_id,
  boardOwner: (node, _args, context) => v5(node, context).board_owner,
  isOwner: (node, _args, context) => v5(node, context).is_owner,
  // The image's sizes come with the pin's own statement (joined with images): no extra load.
  media: (node, _args, context) => {
    const { media } = v5(node, context);
    return {
      mediaType: media.media_type,
      images: {
        image150x150: media.images['150x150'],
        image400x300: media.images['400x300'],
        image600x: media.images['600x'],
        image1200x: media.images['1200x'],
      },
    };
  },
  parentPinId: (node, _args, context) => v5(node, context).parent_pin_id,
  isStandard: (node, _args, context) => v5(node, context).is_standard,
  hasBeenPromoted: (node, _args, context) => v5(node, context).has_been_promoted,
  pinner: ({ details }) => userRef(details.pin.owner_id),
  board: async ({ details }, _args, context) => boardFromAccess(await context.loaders.readableBoards.load(details.pin.board_id)),
  section: async ({ details }, _args, context) => {
    const id = details.pin.board_section_id;
    const section = id === null ? null : await context.loaders.sections.load(id);
    if (!section) return null;
    // As for node(id): a section whose board the token may not read (as a board) is not shown.
    const readable = await context.loaders.readableBoards.load(section.board_id).catch(() => null);
    if (!readable) throw new AppError('SECTION_NOT_FOUND');
    return sectionNode(section);
  },
  parentPin: async (node, _args, context) => {
    // parent_pin_id is shown only when the parent's board is readable: then so is the parent.
    const parentId = v5(node, context).parent_pin_id;
    const parent = parentId === null ? null : await context.loaders.visiblePins.load(parentId);
    return parent ? pinNode(parent) : null;
  },
};

function pinConnection(page: Parameters<typeof toConnection<PinDetails, PinNode>>[0]) {
  return toConnection(page, pinNode, (details) => [details.pin.id]);
}

interface MediaSourceInput {
  sourceType: string;
  contentType?: string | null;
  data?: string | null;
  url?: string | null;
  isStandard?: boolean | null;
}

interface PinFields {
  title?: string | null;
  description?: string | null;
  link?: string | null;
  altText?: string | null;
  boardId?: string | null;
  boardSectionId?: string | null;
}

interface CreatePinInput extends PinFields {
  boardId: string;
  dominantColor?: string | null;
  mediaSource?: MediaSourceInput | null;
  parentPinId?: string | null;
}

/** An optional id argument: left out stays left out, null stays null. */
function optionalId(value: string | null | undefined, type: 'Board' | 'BoardSection' | 'Pin'): string | null | undefined {
  return value === undefined || value === null ? value : entityIdOf(value, type);
}

function mediaSourceBody(source: MediaSourceInput | null | undefined) {
  if (source === undefined || source === null) return source;
  return {
    source_type: source.sourceType,
    content_type: source.contentType,
    data: source.data,
    url: source.url,
    is_standard: source.isStandard,
  };
}

const Mutation = {
  createPin: async (_root: unknown, { input }: { input: CreatePinInput }, context: GraphqlContext) => {
    const viewer = viewerWith(context, WRITE);
    const body = validInput(PinCreateBody, {
      board_id: entityIdOf(input.boardId, 'Board'),
      board_section_id: optionalId(input.boardSectionId, 'BoardSection'),
      title: input.title,
      description: input.description,
      link: input.link,
      alt_text: input.altText,
      dominant_color: input.dominantColor,
      media_source: mediaSourceBody(input.mediaSource),
      parent_pin_id: optionalId(input.parentPinId, 'Pin'),
    });
    return pinNode(await context.services.pins.create(viewer, body));
  },
  updatePin: async (_root: unknown, args: { id: string; input: PinFields }, context: GraphqlContext) => {
    const viewer = viewerWith(context, WRITE);
    const { input } = args;
    const body = validInput(PinUpdateBody, {
      title: input.title,
      description: input.description,
      link: input.link,
      alt_text: input.altText,
      board_id: optionalId(input.boardId, 'Board'),
      board_section_id: optionalId(input.boardSectionId, 'BoardSection'),
    });
    return pinNode(await context.services.pins.update(viewer, entityIdOf(args.id, 'Pin'), body));
  },
  deletePin: async (_root: unknown, args: { id: string }, context: GraphqlContext) => {
    const viewer = viewerWith(context, WRITE);
    const pinId = entityIdOf(args.id, 'Pin');
    await context.services.pins.delete(viewer, pinId);
    return toGlobalId('Pin', pinId);
  },
  savePin: async (
    _root: unknown,
    args: { id: string; input: { boardId: string; boardSectionId?: string | null } },
    context: GraphqlContext,
  ) => {
    const viewer = viewerWith(context, WRITE);
    const body = validInput(PinSaveBody, {
      board_id: entityIdOf(args.input.boardId, 'Board'),
      board_section_id: optionalId(args.input.boardSectionId, 'BoardSection'),
    });
    return pinNode(await context.services.pins.save(viewer, entityIdOf(args.id, 'Pin'), body));
  },
};

interface ViewerPinsArgs extends ConnectionArgs {
  pinFilter?: PinListQuery['pin_filter'] | null;
  includeProtectedPins?: boolean | null;
  pinType?: 'PRIVATE' | null;
}

export const pinsGraphql: GraphqlModule = {
  typeDefs,
  resolvers: {
    Query: {
      pin: async (_root: unknown, args: { id: string }, context: GraphqlContext) => {
        const viewer = viewerWith(context, READ);
        return pinNode(await context.services.pins.get(viewer, entityIdOf(args.id, 'Pin')));
      },
    },
    Viewer: {
      pins: async (_viewer: unknown, args: ViewerPinsArgs, context: GraphqlContext) => {
        const viewer = viewerWith(context, READ);
        const query: PinListQuery = { ...pageQueryOf(args), include_protected_pins: args.includeProtectedPins ?? false };
        if (args.pinFilter) query.pin_filter = args.pinFilter;
        if (args.pinType) query.pin_type = args.pinType;
        return pinConnection(await context.services.pins.listOwn(viewer, query));
      },
    },
    Board: {
      pins: async ({ board }: BoardNode, args: ConnectionArgs, context: GraphqlContext) => {
        viewerWith(context, READ);
        const query = pageQueryOf(args);
        return pinConnection(await context.loaders.placePins.load({ boardId: board.id, sectionId: null, query }));
      },
    },
    BoardSection: {
      pins: async ({ section }: SectionNode, args: ConnectionArgs, context: GraphqlContext) => {
        viewerWith(context, READ);
        const query = pageQueryOf(args);
        return pinConnection(await context.loaders.placePins.load({ boardId: section.board_id, sectionId: section.id, query }));
      },
    },
    Mutation,
    Pin,
  },
  nodes: {
    Pin: async (id, context) => pinNode(await context.services.pins.get(viewerWith(context, READ), id)),
  },
};
