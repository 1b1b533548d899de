// The screens `npm run bench:screens` renders, each two ways: one GraphQL query, and the REST v5 calls a
// client needs for the same content (dependent calls in sequence, independent ones in parallel, as a
// good client would send them). Both variants check what they get back, so a screen that could not be
// shown counts as failed, not as fast.
import { Rng } from '../src/dataset/prng.js';
import { AliasTable, zipfWeights } from '../src/dataset/sampling.js';
import type { ScreenClient, RenderScreen } from './screen-load.js';
import type { BenchTargets, BenchViewer } from './targets.js';

export const PIN_CLOSE_UP_QUERY = `query PinCloseUp($id: ID!) {
  pin(id: $id) {
    entityId title description link altText dominantColor createdAt
    media { mediaType images { image600x { url width height } image1200x { url width height } } }
    pinner { username profileImage followerCount }
    board { entityId name pinCount followerCount owner { username } }
    section { name }
    parentPin { entityId title }
  }
}`;

export const BOARD_PAGE_QUERY = `query BoardPage($id: ID!) {
  board(id: $id) {
    entityId name description pinCount followerCount
    owner { username profileImage }
    pins(first: 25) {
      edges { node { entityId title dominantColor media { images { image400x300 { url width height } } } pinner { username profileImage } board { name } } }
      pageInfo { endCursor hasNextPage }
    }
  }
}`;

export type ScreenName = 'pin-close-up' | 'board-page';
export type Variant = 'graphql' | 'rest';

export interface ScreenDefinition {
  name: ScreenName;
  title: string;
  graphql: string;
  rest: string;
  /** Draws the next (viewer, target) screen of the given variant. */
  stream(targets: BenchTargets, variant: Variant, label: string): () => RenderScreen;
}

const READ_ZIPF = 1.0;

function auth(viewer: BenchViewer): Record<string, string> {
  return { authorization: `Bearer ${viewer.token}` };
}

async function getJson(client: ScreenClient, viewer: BenchViewer, path: string): Promise<Record<string, unknown>> {
  const response = await client.request('GET', path, auth(viewer));
  if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}: ${response.body.slice(0, 200)}`);
  return JSON.parse(response.body) as Record<string, unknown>;
}

async function graphql(client: ScreenClient, viewer: BenchViewer, query: string, id: string, root: string): Promise<void> {
  const body = JSON.stringify({ query, variables: { id } });
  const response = await client.request('POST', '/graphql', { ...auth(viewer), 'content-type': 'application/json' }, body);
  if (response.status !== 200) throw new Error(`POST /graphql answered ${response.status}: ${response.body.slice(0, 200)}`);
  const parsed = JSON.parse(response.body) as { data?: Record<string, unknown> | null; errors?: unknown[] };
  if (parsed.errors?.length || !parsed.data?.[root]) throw new Error(`GraphQL ${root}(${id}) failed: ${response.body.slice(0, 300)}`);
}

/** Zipf over the targets (most popular first), a viewer drawn uniformly, seeded by `label`. */
function picker(targets: BenchTargets, ids: readonly string[], label: string) {
  if (ids.length === 0) throw new Error('the dataset has no targets for this screen');
  const rng = Rng.stream(targets.seed, `screens:${label}`);
  const table = new AliasTable(zipfWeights(ids.length, READ_ZIPF));
  return () => ({
    viewer: rng.pick(targets.viewers),
    id: ids[table.sample(rng)] as string,
  });
}

/** REST: the pin, then (in parallel) its board, the pinner's profile, the section name and the parent pin. */
async function restPinCloseUp(client: ScreenClient, viewer: BenchViewer, id: string): Promise<void> {
  const pin = await getJson(client, viewer, `/v5/pins/${id}`);
  const boardId = pin.board_id as string;
  // v5 names the pin's board owner, not its pinner: the closest a REST client gets to "who pinned this".
  const pinner = (pin.board_owner as { username: string }).username;
  const sectionId = pin.board_section_id as string | null;
  const parentId = pin.parent_pin_id as string | null;
  const calls: Promise<Record<string, unknown>>[] = [
    getJson(client, viewer, `/v5/boards/${boardId}`),
    getJson(client, viewer, `/v5/users/${encodeURIComponent(pinner)}`),
  ];
  // No route reads one section: the client lists the board's sections to find its name.
  if (sectionId) calls.push(getJson(client, viewer, `/v5/boards/${boardId}/sections?page_size=250`));
  if (parentId) calls.push(getJson(client, viewer, `/v5/pins/${parentId}`));
  await Promise.all(calls);
}

/** REST: the board and its first page of pins in parallel, then the profile of every distinct pinner shown. */
async function restBoardPage(client: ScreenClient, viewer: BenchViewer, id: string): Promise<void> {
  const [board, pins] = await Promise.all([
    getJson(client, viewer, `/v5/boards/${id}`),
    getJson(client, viewer, `/v5/boards/${id}/pins?page_size=25`),
  ]);
  const usernames = new Set<string>([(board.owner as { username: string }).username]);
  for (const pin of pins.items as { board_owner: { username: string } }[]) usernames.add(pin.board_owner.username);
  await Promise.all([...usernames].map((username) => getJson(client, viewer, `/v5/users/${encodeURIComponent(username)}`)));
}

export const SCREENS: ScreenDefinition[] = [
  {
    name: 'pin-close-up',
    title: 'Pin close-up',
    graphql: 'pin(id) { text, media, pinner, board { owner }, section, parentPin }',
    rest: 'GET /v5/pins/{id}, then in parallel GET /v5/boards/{board_id}, GET /v5/users/{board_owner}, GET .../sections (if in a section), GET /v5/pins/{parent} (if a save)',
    stream(targets, variant, label) {
      const next = picker(targets, targets.publicPins, `pin-close-up:${variant}:${label}`);
      return () => {
        const { viewer, id } = next();
        return variant === 'graphql'
          ? (client) => graphql(client, viewer, PIN_CLOSE_UP_QUERY, id, 'pin')
          : (client) => restPinCloseUp(client, viewer, id);
      };
    },
  },
  {
    name: 'board-page',
    title: 'Board page (25 pins)',
    graphql: 'board(id) { owner, pins(first: 25) { media, pinner, board } }',
    rest: 'GET /v5/boards/{id} and GET /v5/boards/{id}/pins?page_size=25 in parallel, then GET /v5/users/{u} per distinct owner/pinner',
    stream(targets, variant, label) {
      const next = picker(targets, targets.publicBoards, `board-page:${variant}:${label}`);
      return () => {
        const { viewer, id } = next();
        return variant === 'graphql'
          ? (client) => graphql(client, viewer, BOARD_PAGE_QUERY, id, 'board')
          : (client) => restBoardPage(client, viewer, id);
      };
    },
  },
];
