// SQL for PinDetailsReader (pin-details-reader.ts): every row that assembling some pins needs and the
// caches lacked, in one statement. Asked for pins, it follows them as the reader does: each pin's
// board (for an id that names no pin, the board of the same id, so a missing pin costs what a hidden
// one costs), the collaborators' roles where the viewer's relation decides, and for the pins whose
// details are assembled, the pin each was saved from (with its board and roles) and the board
// owner's public row. Users whose boards the caches hold are asked by id.
//
// One row per key (kind, id), with the columns of its table and NULLs for the others, so every
// value comes back through the driver's own type parsing, exactly as the per-table loaders of the
// same caches return it (BoardRepository.findByIds and findCollaboratorRoles,
// AccountRepository.findPublicByIds), so the cache holds one shape whoever loaded it.
import { sql, type RawBuilder } from 'kysely';
import type { Queryable } from '../platform/db/database.js';
import type { BoardRow, CollaboratorRole, PublicUserRow } from '../platform/db/schema.js';
import type { Viewer } from '../platform/http/viewer.js';
import { PUBLIC_COLUMNS } from '../accounts/account.repository.js';
import { BOARD_COLUMNS, type CollaboratorRoles } from '../boards/board.repository.js';
import { boardReadableBy, boardReadableByEveryone } from '../boards/board-visibility.sql.js';
import { PIN_COLUMNS, type PinCore, type PinRecord } from './pin.repository.js';

export interface PinBundleRequest {
  /** Pins to assemble (see `assemble`), with everything that takes. */
  pins: readonly string[];
  /** Pins whose access only is needed (the pins others were saved from): the pin, its board, roles. */
  accessOnly: readonly string[];
  /** Users' public rows asked by id (owners of boards the caches hold). */
  users: readonly string[];
  /** Which of `pins` have their parents and owners read: all found, or those the viewer may read. */
  assemble: 'all' | 'readable';
}

/** What the statement found, by id; null where the id names no row. */
export interface PinBundle {
  pins: Map<string, PinCore | null>;
  boards: Map<string, BoardRow | null>;
  /** Every board whose roles were read has an entry (empty without collaborators). */
  roles: Map<string, CollaboratorRoles>;
  users: Map<string, PublicUserRow | null>;
}

const PIN_NAMES = PIN_COLUMNS.map((column) => column.slice('pins.'.length) as keyof PinRecord);

/** Each table's columns: the alias it is read under and the prefix of its output columns. */
const TABLE_COLUMNS: ReadonlyArray<{ alias: string; prefix: string; names: readonly string[] }> = [
  { alias: 'p', prefix: 'p_', names: PIN_NAMES },
  { alias: 'i', prefix: 'i_', names: ['capability', 'width', 'height'] },
  { alias: 'b', prefix: 'b_', names: BOARD_COLUMNS },
  { alias: 'bc', prefix: 'c_', names: ['user_id', 'role'] },
  { alias: 'u', prefix: 'u_', names: PUBLIC_COLUMNS },
];

/** `alias.column AS prefixcolumn, ...` for every table (constant identifiers only). */
function columns(): RawBuilder<unknown> {
  return sql.raw(TABLE_COLUMNS.flatMap(({ alias, prefix, names }) => names.map((name) => `${alias}.${name} AS ${prefix}${name}`)).join(', '));
}

function picked<T>(row: Record<string, unknown>, prefix: string, names: readonly string[]): T {
  const value: Record<string, unknown> = {};
  for (const name of names) value[name] = row[`${prefix}${name}`];
  return value as T;
}

export class PinBundleRepository {
  constructor(private readonly db: Queryable) {}

  async load(request: PinBundleRequest, viewer: Viewer | null): Promise<PinBundle> {
    const result = await this.statement(request, viewer).execute(this.db);
    const bundle: PinBundle = { pins: new Map(), boards: new Map(), roles: new Map(), users: new Map() };
    for (const row of result.rows) {
      if (row.kind === 'pin') {
        // A pin is cached with its image's size: one without an image is none.
        bundle.pins.set(
          row.key,
          row.p_id === null || row.i_capability === null
            ? null
            : { pin: picked<PinRecord>(row, 'p_', PIN_NAMES), image: { capability: row.i_capability as string, width: row.i_width as number, height: row.i_height as number } },
        );
      } else if (row.kind === 'board') bundle.boards.set(row.key, row.b_id === null ? null : picked<BoardRow>(row, 'b_', BOARD_COLUMNS));
      else if (row.kind === 'roles') {
        const roles = bundle.roles.get(row.key) ?? {};
        if (row.c_user_id !== null) roles[row.c_user_id as string] = row.c_role as CollaboratorRole;
        bundle.roles.set(row.key, roles);
      } else bundle.users.set(row.key, row.u_id === null ? null : picked<PublicUserRow>(row, 'u_', PUBLIC_COLUMNS));
    }
    return bundle;
  }

  /** The statement (separate so its plan can be looked at). */
  statement(request: PinBundleRequest, viewer: Viewer | null): RawBuilder<Record<string, unknown> & { kind: string; key: string }> {
    const viewerId = viewer?.userId ?? null;
    const assembled = request.assemble === 'all' ? sql`true` : boardReadableBy(viewer, 'pins', 'b');
    return sql<Record<string, unknown> & { kind: string; key: string }>`
      WITH asked AS (
        SELECT id, true AS details FROM unnest(${[...request.pins]}::bigint[]) AS a (id)
        UNION ALL
        SELECT id, false FROM unnest(${[...request.accessOnly]}::bigint[]) AS a (id)
      ), looked_up AS (
        SELECT a.id, a.details, p.id IS NOT NULL AS present, coalesce(p.board_id, a.id) AS rule_board_id, p.parent_pin_id
        FROM asked a LEFT JOIN pins p ON p.id = a.id
      ), assembled AS (
        SELECT f.parent_pin_id, b.owner_id
        FROM looked_up f JOIN boards b ON b.id = f.rule_board_id
        WHERE f.details AND f.present AND ${assembled}
      ), parents AS (
        SELECT pp.id, coalesce(p.board_id, pp.id) AS rule_board_id
        FROM (SELECT DISTINCT parent_pin_id AS id FROM assembled WHERE parent_pin_id IS NOT NULL) pp
        LEFT JOIN pins p ON p.id = pp.id
      ), rule_boards AS (
        SELECT rule_board_id AS id FROM looked_up UNION SELECT rule_board_id FROM parents
      ), keys AS MATERIALIZED (
        SELECT 'pin' AS kind, id FROM asked
        UNION SELECT 'pin', id FROM parents
        UNION SELECT 'board', id FROM rule_boards
        UNION SELECT 'roles', r.id FROM rule_boards r LEFT JOIN boards b ON b.id = r.id
          WHERE ${viewerId}::bigint IS NOT NULL AND (b.id IS NULL OR (b.owner_id <> ${viewerId}::bigint AND NOT ${boardReadableByEveryone('b')}))
        UNION SELECT 'user', owner_id FROM assembled
        UNION SELECT 'user', unnest(${[...request.users]}::bigint[])
      )
      SELECT k.kind, k.id::text AS key, ${columns()}
      FROM keys k
      LEFT JOIN pins p ON k.kind = 'pin' AND p.id = k.id
      LEFT JOIN images i ON i.id = p.image_id
      LEFT JOIN boards b ON k.kind = 'board' AND b.id = k.id
      LEFT JOIN board_collaborators bc ON k.kind = 'roles' AND bc.board_id = k.id
      LEFT JOIN users u ON k.kind = 'user' AND u.id = k.id
    `;
  }
}
