// The planned dataset, held as columns of typed arrays (one entry per row) so that tens of millions of
// rows fit in memory; text columns are rendered from the plan batch by batch (see rows.ts). Row
// indexes are in creation-time order (for pins: originals, then saves, each in time order), and
// `createdAt` + `seq` give each row its ID.
import type { DatasetOptions } from './options.js';

export const PRIVACY_CODES = ['PUBLIC', 'PROTECTED', 'SECRET'] as const;
export const PUBLIC = 0;
export const PROTECTED = 1;
export const SECRET = 2;
/** Marks "no value" in Int32 reference columns (no section, no parent). */
export const NONE = -1;
/** Marks "no topic" in the users' interest slots. */
export const NO_TOPIC = 255;
export const INTEREST_SLOTS = 3;

export interface TimedRows {
  count: number;
  /** Integer milliseconds since the Unix epoch, ascending. */
  createdAt: Float64Array;
  /** Sequence within the millisecond (see dataset-ids.ts). */
  seq: Uint16Array;
}

export interface UsersPlan extends TimedRows {
  /** INTEREST_SLOTS topic indexes per user, most important first, NO_TOPIC when unused. */
  interests: Uint8Array;
  /** How strongly a user attracts followers (power law). */
  popularity: Float64Array;
  business: Uint8Array;
  boardCount: Int32Array;
  publicBoardCount: Int32Array;
  pinCount: Int32Array;
  publicPinCount: Int32Array;
  followerCount: Int32Array;
  followingCount: Int32Array;
}

export interface BoardsPlan extends TimedRows {
  owner: Int32Array;
  topic: Uint8Array;
  privacy: Uint8Array;
  name: string[];
  pinCount: Int32Array;
  followerCount: Int32Array;
  collaboratorCount: Int32Array;
  /** Time of the newest pin on the board (the board's own time when it has none). */
  pinsModifiedAt: Float64Array;
  /** Boards of user u: byUser.list[byUser.start[u] .. byUser.start[u + 1]), oldest first. */
  byUser: { start: Int32Array; list: Int32Array };
}

export interface SectionsPlan extends TimedRows {
  board: Int32Array;
  name: string[];
  pinCount: Int32Array;
  /** Sections of board b: byBoard.list[byBoard.start[b] .. byBoard.start[b + 1]). */
  byBoard: { start: Int32Array; list: Int32Array };
}

export interface CollaboratorsPlan {
  count: number;
  board: Int32Array;
  user: Int32Array;
  /** 1 = editor, 0 = viewer. */
  editor: Uint8Array;
  createdAt: Float64Array;
}

export interface ImagesPlan extends TimedRows {
  topic: Uint8Array;
  width: Uint16Array;
  height: Uint16Array;
}

export interface PinsPlan extends TimedRows {
  /** Rows 0 .. originals-1 are original pins; the rest are saves. */
  originals: number;
  owner: Int32Array;
  board: Int32Array;
  section: Int32Array;
  image: Int32Array;
  /** Index of the pin a save was saved from, NONE for original pins. */
  parent: Int32Array;
  saveCount: Int32Array;
}

export interface FollowsPlan {
  count: number;
  from: Int32Array;
  /** A user index (user follows) or a board index (board follows). */
  to: Int32Array;
  createdAt: Float64Array;
}

export interface HeldOutSave {
  user: number;
  sourcePin: number;
  board: number;
  createdAt: number;
}

export interface DatasetPlan {
  options: DatasetOptions;
  /** Start of the time window (ms). */
  startMs: number;
  users: UsersPlan;
  boards: BoardsPlan;
  sections: SectionsPlan;
  collaborators: CollaboratorsPlan;
  images: ImagesPlan;
  pins: PinsPlan;
  userFollows: FollowsPlan;
  boardFollows: FollowsPlan;
  heldOut: HeldOutSave[];
  /** Saves asked for but not placeable (every candidate already saved); usually 0. */
  skippedSaves: number;
}
