// PinDetails for read paths, assembled from cached rows: the pin (with its image size), the pin it
// was saved from, both boards with the viewer's relation to them, and the board owner's username.
// A warm read sends no statement; what depends on the viewer (may they see the parent? the board?)
// is decided here from those rows with the one access policy (board-access.ts). It answers what
// PinRepository.findDetails answers; writes keep using that, on the database.
//
// Who may see a pin is decided first, from the pin, its board and the viewer's role on it, and only
// then are the details of the pins they may see assembled. A pin that does not exist goes through
// the same decision, reading the board (and roles) of its own id in place of its board's: a
// stranger's request for a hidden pin and one for a missing pin make the same three cache reads (the
// same three database reads when cold: that id names no board either, and its absence is cached as
// any missing id's) and no other work before their 404, so timing cannot tell which ids hide
// something. Before, a hidden pin's board, relation and owner were read and a missing pin's were
// not: about 50 µs, enough for a rank test over 480 requests to tell them apart.
import type { CachedRows } from '../platform/cache/cached-rows.js';
import type { BoardRow, PublicUserRow } from '../platform/db/schema.js';
import type { Viewer } from '../platform/http/viewer.js';
import { isValidId } from '../platform/ids.js';
import { canRead, readableByEveryone } from '../boards/board-access.js';
import type { CachedBoards } from '../boards/cached-boards.js';
import type { BoardWithViewerRelation } from '../boards/board.service.js';
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

/** A pin that exists, with its board and whether the viewer may read it. */
interface PinAccess {
  core: PinCore;
  board: BoardRow;
  readable: boolean;
}

export class PinDetailsReader {
  constructor(private readonly deps: PinDetailsReaderDeps) {}

  /**
   * The pins that exist among `pinIds`, by id, with their boards and whether the viewer may read
   * them. Cold, it costs one statement per kind of row missing (pins, the pins they were saved from,
   * boards, collaborators of non-public boards, owners); warm, none.
   */
  async read(pinIds: readonly string[], viewer: Viewer | null): Promise<Map<string, PinDetailsWithBoard>> {
    return this.assemble([...(await this.access(pinIds, viewer)).values()], viewer);
  }

  /**
   * read() restricted to the pins the viewer may read: the others are refused after the access
   * decision, with nothing more read for them (GET of a pin, related pins, anything answering 404).
   */
  async readReadable(pinIds: readonly string[], viewer: Viewer | null): Promise<Map<string, PinDetailsWithBoard>> {
    const access = [...(await this.access(pinIds, viewer)).values()];
    return this.assemble(
      access.filter(({ readable }) => readable),
      viewer,
    );
  }

  /** PinRepository.findDetails from the cache: details of the given pins, in no particular order. */
  async findDetails(pinIds: readonly string[], viewer: Viewer): Promise<PinDetails[]> {
    return [...(await this.read(pinIds, viewer)).values()];
  }

  /** findDetails restricted to pins on boards everyone may read (what feeds show). */
  async findPublicDetails(pinIds: readonly string[], viewer: Viewer): Promise<PinDetails[]> {
    return [...(await this.read(pinIds, viewer)).values()].filter((details) => readableByEveryone(details.board.privacy));
  }

  /**
   * Which of `pinIds` exist and whether the viewer may read each: the pins, then their boards with
   * the viewer's roles (a missing pin reads those of the board of its own id), and nothing else.
   */
  private async access(pinIds: readonly string[], viewer: Viewer | null): Promise<Map<string, PinAccess>> {
    const ids = [...new Set(pinIds.filter(isValidId))];
    const cores = await this.deps.pins.getMany(ids);
    const boards = await this.deps.boards.withRelations(
      viewer,
      ids.map((id) => cores.get(id)?.pin.board_id ?? id),
      { publicBoards: false },
    );
    const found = new Map<string, PinAccess>();
    for (const core of cores.values()) {
      const board = boards.get(core.pin.board_id);
      // A pin whose board went away in the meantime is gone too.
      if (board) found.set(core.pin.id, { core, board: board.board, readable: readable(viewer, board) });
    }
    return found;
  }

  /** Details of pins whose access is decided: the pins they were saved from (visible or not) and owners' names. */
  private async assemble(pins: readonly PinAccess[], viewer: Viewer | null): Promise<Map<string, PinDetailsWithBoard>> {
    const parentIds = pins.flatMap(({ core }) => (core.pin.parent_pin_id === null ? [] : [core.pin.parent_pin_id]));
    const [parents, owners] = await Promise.all([
      this.access(parentIds, viewer),
      this.deps.users.getMany(pins.map(({ board }) => board.owner_id)),
    ]);
    const found = new Map<string, PinDetailsWithBoard>();
    for (const { core, board, readable } of pins) {
      const owner = owners.get(board.owner_id);
      // A pin whose owner went away in the meantime is gone too.
      if (!owner) continue;
      const parent = core.pin.parent_pin_id === null ? undefined : parents.get(core.pin.parent_pin_id);
      found.set(core.pin.id, {
        pin: core.pin,
        image: core.image,
        boardOwnerUsername: owner.username,
        parentVisible: parent?.readable ?? false,
        board,
        readable,
      });
    }
    return found;
  }
}

function readable(viewer: Viewer | null, { board, relation }: BoardWithViewerRelation): boolean {
  return canRead(viewer, board, relation, 'pins');
}
