// Per-request DataLoaders: every relation a query can reach (a pin's board, pinner and section, a
// board's owner, card, pins, sections and collaborators, a user's profile) is loaded for all the
// items of a level at once, so the statements a query runs do not grow with the number of items.
// Lists under each item (board.pins, board.sections, board.collaborators, section.pins) batch too:
// items asking for the same page (first/after) share one LATERAL statement.
import DataLoader from 'dataloader';
import { AppError } from '../platform/errors.js';
import type { Page, PageQuery } from '../platform/http/pagination.js';
import type { Viewer } from '../platform/http/viewer.js';
import type { BoardRow, BoardSectionRow, PublicUserRow } from '../platform/db/schema.js';
import type { Container } from '../container.js';
import type { BoardCard, BoardWithViewerRelation } from '../boards/board.service.js';
import type { CollaboratorRow } from '../boards/board-members.repository.js';
import type { PinDetails } from '../pins/pin.repository.js';

export interface LoaderDeps {
  services: Container['services'];
  repositories: Container['repositories'];
}

export interface PlaceKey {
  boardId: string;
  sectionId: string | null;
  query: PageQuery;
}

export interface BoardListKey {
  boardId: string;
  query: PageQuery;
}

export interface RelatedPinsKey {
  pinId: string;
  query: PageQuery;
}

export type Loaders = ReturnType<typeof createLoaders>;

/**
 * A batch function for list keys: keys asking for different pages (first/after) are sent in
 * separate batches, since one statement serves one page request.
 */
function byPage<K extends { query: PageQuery }, V>(
  load: (keys: K[], query: PageQuery) => Promise<Array<V | AppError>>,
): (keys: readonly K[]) => Promise<Array<V | Error>> {
  return async (keys) => {
    const groups = new Map<string, { query: PageQuery; indexes: number[] }>();
    keys.forEach((key, index) => {
      const id = JSON.stringify([key.query.page_size ?? null, key.query.bookmark ?? null]);
      const group = groups.get(id) ?? { query: key.query, indexes: [] };
      group.indexes.push(index);
      groups.set(id, group);
    });
    const results: Array<V | Error> = new Array<V | Error>(keys.length);
    await Promise.all(
      [...groups.values()].map(async ({ query, indexes }) => {
        try {
          const values = await load(
            indexes.map((index) => keys[index] as K),
            query,
          );
          indexes.forEach((index, position) => (results[index] = values[position] ?? new AppError('INTERNAL')));
        } catch (error) {
          for (const index of indexes) results[index] = error instanceof Error ? error : new AppError('INTERNAL');
        }
      }),
    );
    return results;
  };
}

const listKey = (key: { query: PageQuery }) => JSON.stringify(key);

export function createLoaders(deps: LoaderDeps, viewer: Viewer | null) {
  const { services } = deps;
  const signedIn = (): Viewer => {
    if (!viewer) throw new AppError('AUTHENTICATION_FAILED');
    return viewer;
  };

  return {
    users: new DataLoader<string, PublicUserRow | null>(async (ids) => {
      const rows = await services.accounts.getManyById(ids);
      return ids.map((id) => rows.get(id) ?? null);
    }),

    /** Boards the viewer may read (BoardService.readBoards); others fail with BOARD_NOT_FOUND. */
    readableBoards: new DataLoader<string, BoardWithViewerRelation>(async (ids) => {
      const readable = await services.boards.readBoards(signedIn(), ids, 'boards');
      return ids.map((id) => readable.get(id) ?? new AppError('BOARD_NOT_FOUND'));
    }),

    boardCards: new DataLoader<BoardRow, BoardCard | null, string>(
      async (boards) => {
        const cards = new Map((await services.boards.cards(boards)).map((card) => [card.board.id, card]));
        return boards.map((board) => cards.get(board.id) ?? null);
      },
      { cacheKeyFn: (board) => board.id },
    ),

    /** Sections by id, unchecked: resolvers check the section's board through readableBoards. */
    sections: new DataLoader<string, BoardSectionRow | null>(async (ids) => {
      const sections = await services.boards.findSections(ids);
      return ids.map((id) => sections.get(id) ?? null);
    }),

    /**
     * Pins by id, as `viewer` sees them. Only for pins already known to be visible (a parent pin
     * whose board the details query found readable); pin(id) and node(id) go through PinService.get.
     */
    visiblePins: new DataLoader<string, PinDetails | null>(async (ids) => {
      const found = new Map((await services.pins.detailsOfVisible(signedIn(), ids)).map((details) => [details.pin.id, details]));
      return ids.map((id) => found.get(id) ?? null);
    }),

    placePins: new DataLoader<PlaceKey, Page<PinDetails>, string>(
      byPage((keys, query) => services.pins.listPlaces(signedIn(), keys, query)),
      { cacheKeyFn: listKey },
    ),

    boardSections: new DataLoader<BoardListKey, Page<BoardSectionRow>, string>(
      byPage((keys, query) => services.boardSections.listMany(signedIn(), keys.map((key) => key.boardId), query)),
      { cacheKeyFn: listKey },
    ),

    /** Related pins of many pins (RelatedPinsService.relatedMany): a walk each, one privacy check for all. */
    relatedPins: new DataLoader<RelatedPinsKey, Page<PinDetails>, string>(
      byPage((keys, query) => services.relatedPins.relatedMany(signedIn(), keys.map((key) => key.pinId), query)),
      { cacheKeyFn: listKey },
    ),

    collaborators: new DataLoader<BoardListKey, Page<CollaboratorRow>, string>(
      byPage((keys, query) => services.boardMembers.listCollaboratorsMany(signedIn(), keys.map((key) => key.boardId), query)),
      { cacheKeyFn: listKey },
    ),
  };
}
