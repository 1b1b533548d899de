// The home feed's bookmark. The first page fixes a snapshot: its time (no pin created later, and no
// impression or engagement recorded later, enters this feed), the time the viewer's affinity profile
// was read, a random seed and the blend rate the viewer was assigned. Every later page carries the
// snapshot forward and adds where the previous page ended (its position in the feed's ordered list and
// the id of its last pin), so a page is the continuation of the same list however many pins arrive
// meanwhile.
import { AppError } from '../../platform/errors.js';
import { decodeBookmark, encodeBookmark, type CursorKey } from '../../platform/http/pagination.js';
import { EPOCH_MS, isValidId } from '../../platform/ids.js';

export interface FeedSnapshot {
  /** Milliseconds since 1970: pins created later are not part of this feed. */
  snapshotMs: number;
  /** When the viewer's affinity profile was read (at or before snapshotMs). */
  asOfMs: number;
  seed: number;
  pickedRate: number;
}

export interface FeedPosition extends FeedSnapshot {
  /** Entries of the feed's list consumed so far. */
  offset: number;
  /** The last pin shown, to find the place again should the list be rebuilt. */
  lastPinId: string;
}

const PARTS = 6;

export function positionKey(position: FeedPosition): CursorKey {
  return [
    String(position.snapshotMs),
    String(position.asOfMs),
    position.seed.toString(36),
    String(position.pickedRate),
    String(position.offset),
    position.lastPinId,
  ];
}

export function encodePosition(position: FeedPosition): string {
  return encodeBookmark(positionKey(position));
}

/** The position in a bookmark, or INVALID_BOOKMARK (400) when it is not a home feed bookmark. */
export function decodePosition(bookmark: string): FeedPosition {
  const [snapshot, asOf, seed, rate, offset, lastPinId] = decodeBookmark(bookmark, PARTS) as [string, string, string, string, string, string];
  const position: FeedPosition = {
    snapshotMs: Number(snapshot),
    asOfMs: Number(asOf),
    seed: Number.parseInt(seed, 36),
    pickedRate: Number(rate),
    offset: Number(offset),
    lastPinId,
  };
  const valid =
    /^\d{1,15}$/.test(snapshot) &&
    /^\d{1,15}$/.test(asOf) &&
    position.asOfMs <= position.snapshotMs &&
    /^[0-9a-z]{1,7}$/.test(seed) &&
    Number.isFinite(position.pickedRate) &&
    position.pickedRate >= 0 &&
    position.pickedRate <= 1 &&
    /^\d{1,6}$/.test(offset) &&
    isValidId(lastPinId);
  if (!valid) throw new AppError('INVALID_BOOKMARK');
  return position;
}

/** The cache key of a snapshot's list: one per viewer and snapshot. */
export function snapshotKey(userId: string, snapshot: FeedSnapshot): string {
  return `${userId}:${snapshot.snapshotMs}:${snapshot.asOfMs}:${snapshot.seed.toString(36)}:${snapshot.pickedRate}`;
}

/** The largest pin id created in millisecond `ms` (any shard, any sequence): the snapshot's bound. */
export function maxPinIdAt(ms: number): string {
  return ((BigInt(Math.floor(ms) - EPOCH_MS) << 22n) | ((1n << 22n) - 1n)).toString();
}
