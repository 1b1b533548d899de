// PinDetails for read paths, assembled from cached rows: the pin (with its image size), the pin it
// was saved from, both boards with the viewer's relation to them, and the board owner's username.
// A warm read sends no statement; what depends on the viewer (may they see the parent? the board?)
// is decided here from those rows with the one access policy (board-access.ts). It answers what
// PinRepository.findDetails answers; writes keep using that, on the database.
import type { CachedRows } from '../platform/cache/cached-rows.js';
import type { BoardRow, PublicUserRow } from '../platform/db/schema.js';
import type { Viewer } from '../platform/http/viewer.js';
import { isValidId } from '../platform/ids.js';
import { canRead, readableByEveryone, readNeedsRelation, relationOf } from '../boards/board-access.js';
import type { CachedBoards } from '../boards/cached-boards.js';
import type { PinCore, PinDetails } from './pin.repository.js';

export interface PinDetailsWithBoard extends PinDetails {
  board: BoardRow;
  /** Whether the viewer may read the pin's board (and so the pin). */
  readable: boolean;
}

export interface PinDetailsReaderDeps {
  pins: CachedRows<PinCore>;
  boards: CachedBoards;
  users: CachedRows<PublicUserRow>;
}

export class PinDetailsReader {
  constructor(private readonly deps: PinDetailsReaderDeps) {}

  /**
   * The pins that exist among `pinIds`, by id, with their boards and whether the viewer may read
   * them. Cold, it costs one statement per kind of row missing (pins, the pins they were saved from,
   * boards, collaborators of non-public boards, owners); warm, none.
   */
  async read(pinIds: readonly string[], viewer: Viewer | null): Promise<Map<string, PinDetailsWithBoard>> {
    const cores = await this.deps.pins.getMany(pinIds.filter(isValidId));
    const parentIds = [...cores.values()].flatMap(({ pin }) => (pin.parent_pin_id === null ? [] : [pin.parent_pin_id]));
    const parents = await this.deps.pins.getMany(parentIds);
    const boards = await this.deps.boards.rows([...cores.values(), ...parents.values()].map(({ pin }) => pin.board_id));
    // Reading a board everyone may read needs no relation; only other boards need the viewer's role on them.
    const [relations, owners] = await Promise.all([
      this.deps.boards.relations(
        viewer,
        [...boards.values()].filter((board) => readNeedsRelation(board.privacy)),
      ),
      this.deps.users.getMany(
        [...cores.values()].flatMap(({ pin }) => {
          const board = boards.get(pin.board_id);
          return board ? [board.owner_id] : [];
        }),
      ),
    ]);
    const readable = (board: BoardRow) =>
      canRead(viewer, board, relations.get(board.id) ?? relationOf(viewer, board, null), 'pins');

    const found = new Map<string, PinDetailsWithBoard>();
    for (const { pin, image } of cores.values()) {
      const board = boards.get(pin.board_id);
      const owner = board && owners.get(board.owner_id);
      // A pin whose board or owner went away in the meantime is gone too.
      if (!board || !owner) continue;
      const parent = pin.parent_pin_id === null ? undefined : parents.get(pin.parent_pin_id);
      const parentBoard = parent && boards.get(parent.pin.board_id);
      found.set(pin.id, {
        pin,
        image,
        boardOwnerUsername: owner.username,
        parentVisible: parentBoard !== undefined && readable(parentBoard),
        board,
        readable: readable(board),
      });
    }
    return found;
  }

  /** PinRepository.findDetails from the cache: details of the given pins, in no particular order. */
  async findDetails(pinIds: readonly string[], viewer: Viewer): Promise<PinDetails[]> {
    return [...(await this.read(pinIds, viewer)).values()];
  }

  /** findDetails restricted to pins on boards everyone may read (what feeds show). */
  async findPublicDetails(pinIds: readonly string[], viewer: Viewer): Promise<PinDetails[]> {
    return [...(await this.read(pinIds, viewer)).values()].filter((details) => readableByEveryone(details.board.privacy));
  }
}
