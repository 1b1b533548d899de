// PinDetails for read paths, assembled from cached rows: the pin (with its image size), the pin it
// was saved from, both boards with the viewer's relation to them, and the board owner's username.
// A warm read sends no statement; what depends on the viewer (may they see the parent? the board?)
// is decided here from those rows with the one access policy (board-access.ts). It answers what
// PinRepository.findDetails answers; writes keep using that, on the database.
//
// One round per tier, however many pins and kinds of rows: every row the pins need is looked up in
// this process first (pins, boards, collaborators' roles, owners: no waiting), then the owners still
// missing in Redis (one MGET; the other rows decide access and are kept in each process only), then
// what is still missing in one statement (pin-bundle.repository.ts), written back in one pipeline.
// A cold pin costs one statement, where it cost one per kind of row in sequence (up to seven with
// the pin it was saved from).
//
// Who may see a pin is decided first, from the pin, its board and the viewer's role on it, and only
// then are the details of the pins they may see assembled. A pin that does not exist goes through
// the same decision, reading the board (and roles) of its own id in place of its board's: a
// stranger's request for a hidden pin and one for a missing pin make the same three cache reads (the
// same one statement when cold: that id names no board either, and its absence is cached as any
// missing id's) and no other work before their 404, so timing cannot tell which ids hide
// something. The statement reads parents and owners only for pins the viewer may read, by the SQL
// form of the same policy.
import type { Cache } from '../platform/cache/cache.js';
import { ABSENT, ROW_NAMESPACES } from '../platform/cache/cached-rows.js';
import type { BoardRow, CollaboratorRole, PublicUserRow } from '../platform/db/schema.js';
import type { Viewer } from '../platform/http/viewer.js';
import { isValidId } from '../platform/ids.js';
import { canRead, readNeedsRelation, readableByEveryone, relationOf } from '../boards/board-access.js';
import type { CollaboratorRoles } from '../boards/board.repository.js';
import type { PinBundleRepository } from './pin-bundle.repository.js';
import type { PinCore, PinDetails } from './pin.repository.js';

export interface PinDetailsWithBoard extends PinDetails {
  board: BoardRow;
  /** Whether the viewer may read the pin's board (and so the pin). */
  readable: boolean;
}

export interface PinDetailsReaderDeps {
  cache: Cache;
  bundles: Pick<PinBundleRepository, 'load'>;
  /**
   * False when this request may not use the cached rows (it wrote some, or the process cannot tell
   * its copies of what decides access are fresh: cached-rows.ts, fresh-reads.ts): it then reads
   * everything from the database.
   */
  usable: () => Promise<boolean>;
}

const PINS = ROW_NAMESPACES.pins;
const BOARDS = ROW_NAMESPACES.boards;
const ROLES = ROW_NAMESPACES.board_collaborators;
const USERS = ROW_NAMESPACES.users;

/** Walks after which rows can no longer be missing (pins, then parents, then owners, with room to spare). */
const MAX_ROUNDS = 8;

/** Not known yet: neither in the rows read so far nor in this process's cache. */
const MISSING = Symbol('missing');
type Read<T> = T | typeof ABSENT | typeof MISSING;

/** A pin that exists, with its board and whether the viewer may read it. */
interface PinAccess {
  core: PinCore;
  board: BoardRow;
  readable: boolean;
}

/** What one walk over the pins could not find: pins to read with their rows, and owners by id. */
interface Needs {
  pins: Set<string>;
  accessOnly: Set<string>;
  users: Set<string>;
}

/** The rows one request has read, by cache key; each key is looked up in the process's tier once (and counted once). */
class RowsRead {
  private readonly rows = new Map<string, unknown>();

  constructor(private readonly cache: Cache | null) {}

  get<T>(namespace: string, id: string): Read<T> {
    const key = `${namespace}:${id}`;
    let value = this.rows.get(key);
    if (value === undefined && this.cache) {
      value = this.cache.peek(namespace, id);
      if (value !== undefined) this.rows.set(key, value);
    }
    return value === undefined ? MISSING : (value as T | typeof ABSENT);
  }

  set(namespace: string, id: string, value: unknown): void {
    this.rows.set(`${namespace}:${id}`, value);
  }
}

export class PinDetailsReader {
  constructor(private readonly deps: PinDetailsReaderDeps) {}

  /**
   * The pins that exist among `pinIds`, by id, with their boards and whether the viewer may read
   * them. Cold, one statement for all of them; warm, none.
   */
  async read(pinIds: readonly string[], viewer: Viewer | null): Promise<Map<string, PinDetailsWithBoard>> {
    return this.resolve(pinIds, viewer, 'all');
  }

  /**
   * read() restricted to the pins the viewer may read: the others are refused after the access
   * decision, with nothing more read for them (GET of a pin, related pins, anything answering 404).
   */
  async readReadable(pinIds: readonly string[], viewer: Viewer | null): Promise<Map<string, PinDetailsWithBoard>> {
    return this.resolve(pinIds, viewer, 'readable');
  }

  /** PinRepository.findDetails from the cache: details of the given pins, in no particular order. */
  async findDetails(pinIds: readonly string[], viewer: Viewer): Promise<PinDetails[]> {
    return [...(await this.read(pinIds, viewer)).values()];
  }

  /** findDetails restricted to pins on boards everyone may read (what feeds show). */
  async findPublicDetails(pinIds: readonly string[], viewer: Viewer): Promise<PinDetails[]> {
    return [...(await this.read(pinIds, viewer)).values()].filter((details) => readableByEveryone(details.board.privacy));
  }

  private async resolve(pinIds: readonly string[], viewer: Viewer | null, assemble: 'all' | 'readable'): Promise<Map<string, PinDetailsWithBoard>> {
    // An id spelled with leading zeros names nothing (as the database's answer, keyed by the canonical spelling, never matches it).
    const ids = [...new Set(pinIds.filter((id) => isValidId(id) && (id.length === 1 || !id.startsWith('0'))))];
    if (ids.length === 0) return new Map();
    const cache = (await this.deps.usable()) ? this.deps.cache : null;
    const rows = new RowsRead(cache);
    let askedRedis = false;
    let joined = false;
    // Each load answers every row the previous walk missed, so walks end; the bound guards against a bug looping.
    for (let round = 0; ; round++) {
      const { found, needs } = this.walk(ids, viewer, assemble, rows);
      if (needs.pins.size + needs.accessOnly.size + needs.users.size === 0) return found;
      if (round > MAX_ROUNDS) throw new Error('pin details: rows still missing after every load');
      if (cache && !askedRedis && needs.users.size > 0) {
        // Owners are the only rows here with a Redis tier: one MGET (users do not lead to other rows).
        askedRedis = true;
        for (const [id, user] of await cache.peekRemote(USERS, [...needs.users])) {
          rows.set(USERS, id, user);
          needs.users.delete(id);
        }
      }
      const asked: Array<[string, string]> = [...needs.pins, ...needs.accessOnly].map((id) => [PINS, id]);
      for (const id of needs.users) asked.push([USERS, id]);
      if (asked.length === 0) continue;
      if (cache && !joined) {
        // Another request is loading some of them: wait for it once and look again (a stampede on a cold pin makes one statement).
        const loads = asked.flatMap(([namespace, id]) => cache.pending(namespace, id) ?? []);
        if (loads.length > 0) {
          joined = true;
          await Promise.allSettled(loads);
          continue;
        }
      }
      await this.load(asked, needs, viewer, assemble, rows, cache);
    }
  }

  /** Reads what the walk missed in one statement, into `rows` and (when usable) the cache. */
  private async load(asked: Array<[string, string]>, needs: Needs, viewer: Viewer | null, assemble: 'all' | 'readable', rows: RowsRead, cache: Cache | null): Promise<void> {
    const read: Array<[string, string, unknown]> = [];
    const load = async (): Promise<Array<[string, string, unknown]>> => {
      const bundle = await this.deps.bundles.load({ pins: [...needs.pins], accessOnly: [...needs.accessOnly], users: [...needs.users], assemble }, viewer);
      for (const [id, pin] of bundle.pins) read.push([PINS, id, pin ?? ABSENT]);
      for (const [id, board] of bundle.boards) read.push([BOARDS, id, board ?? ABSENT]);
      for (const [id, roles] of bundle.roles) read.push([ROLES, id, roles]);
      for (const [id, user] of bundle.users) read.push([USERS, id, user ?? ABSENT]);
      // An asked id the statement did not answer by that spelling (leading zeros) names no row.
      const answered = new Set(read.map(([namespace, id]) => `${namespace}:${id}`));
      for (const [namespace, id] of asked) if (!answered.has(`${namespace}:${id}`)) read.push([namespace, id, ABSENT]);
      // Absent ids are remembered as rows are (their inserts are logged: cached-rows.ts).
      return read;
    };
    if (cache) await cache.loadAcross(asked, load);
    else await load();
    for (const [namespace, id, value] of read) rows.set(namespace, id, value);
  }

  /** One pass over the pins with the rows read so far: their details, or what is still missing. */
  private walk(ids: readonly string[], viewer: Viewer | null, assemble: 'all' | 'readable', rows: RowsRead): { found: Map<string, PinDetailsWithBoard>; needs: Needs } {
    const needs: Needs = { pins: new Set(), accessOnly: new Set(), users: new Set() };
    const found = new Map<string, PinDetailsWithBoard>();
    for (const id of ids) {
      const access = this.access(id, viewer, rows);
      if (access === MISSING) {
        needs.pins.add(id);
        continue;
      }
      if (access === null || (assemble === 'readable' && !access.readable)) continue;
      const { core, board, readable } = access;
      const parentId = core.pin.parent_pin_id;
      const parent = parentId === null ? null : this.access(parentId, viewer, rows);
      if (parent === MISSING) needs.accessOnly.add(parentId!);
      const owner = rows.get<PublicUserRow>(USERS, board.owner_id);
      if (owner === MISSING) needs.users.add(board.owner_id);
      // A pin whose owner went away in the meantime is gone too.
      if (parent === MISSING || owner === MISSING || owner === ABSENT) continue;
      found.set(id, { pin: core.pin, image: core.image, boardOwnerUsername: owner.username, parentVisible: parent?.readable ?? false, board, readable });
    }
    return { found, needs };
  }

  /**
   * Whether the pin exists and the viewer may read it: the pin, then its board (for a missing pin,
   * the board of its own id) and the viewer's role on it where that decides; MISSING until all are read.
   */
  private access(id: string, viewer: Viewer | null, rows: RowsRead): PinAccess | null | typeof MISSING {
    const core = rows.get<PinCore>(PINS, id);
    if (core === MISSING) return MISSING;
    const boardId = core ? core.pin.board_id : id;
    const board = rows.get<BoardRow>(BOARDS, boardId);
    if (board === MISSING) return MISSING;
    let role: CollaboratorRole | null = null;
    // Roles of other people's boards that not everyone may read, and of ids that name no board.
    if (viewer && (!board || (board.owner_id !== viewer.userId && readNeedsRelation(board.privacy)))) {
      const roles = rows.get<CollaboratorRoles>(ROLES, boardId);
      if (roles === MISSING) return MISSING;
      role = (roles || {})[viewer.userId] ?? null;
    }
    // A pin whose board went away in the meantime is gone too.
    if (!core || !board) return null;
    return { core, board, readable: canRead(viewer, board, relationOf(viewer, board, role), 'pins') };
  }
}
