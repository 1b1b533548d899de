// The following timeline: for each user, the pins of the people and boards they follow, newest first.
// This is the contract the home feed reads; keep it stable (a change is written here first).
//
// What a timeline holds:
// - pins on PUBLIC boards, created by people the user follows or placed on boards the user follows,
//   never the user's own pins; a save is a pin of its own (its id, on the saver's board);
// - `score` is the pin's creation time in milliseconds since 1970, read from its id, plus the id's
//   sequence number as a fraction (timelineScore below), so scores of different pins rarely tie and
//   the order is the pins' id order;
// - people and boards with more followers than FEED_CELEBRITY_FOLLOWERS are not fanned out on write:
//   read() merges their newest pins in at read time, so the caller sees one list;
// - a user without a stored timeline (new, returning after FEED_ACTIVE_DAYS away, or a timeline lost
//   with Redis) gets one rebuilt from the database on the first read; while the timeline store is
//   unreachable read() answers from the database, without storing.
//
// Removal (unfollow, pin deleted or moved, board no longer PUBLIC) reaches stored timelines
// asynchronously, through the job queue, usually within a poll interval. A caller that shows pins
// to a person must still hydrate them with the viewer's privacy check (boardReadableBy), as every
// list does: an id read a moment before its board turned SECRET is then dropped, not shown.

export interface TimelineEntry {
  pinId: string;
  /** Creation time of the pin in ms since 1970 (fraction: the id's sequence); higher is newer. */
  score: number;
}

export interface TimelineReadOptions {
  /** How many entries to return at most. */
  limit: number;
  /** Only entries with a score strictly below this (the last score of the previous page). */
  beforeScore?: number;
}

export interface FollowingTimeline {
  /** Newest first, no pin twice, at most `limit` entries, all strictly before `beforeScore`. */
  read(userId: string, options: TimelineReadOptions): Promise<TimelineEntry[]>;
}

const SEQUENCE_BITS = 12n;
const SHARD_AND_SEQUENCE_BITS = 22n;
const SEQUENCE_MASK = (1n << SEQUENCE_BITS) - 1n;
const EPOCH_MS = Date.UTC(2020, 0, 1);

/**
 * The score of a pin: milliseconds since 1970 from its id, plus its sequence / 4096. Both parts fit
 * a double exactly (41 + 12 bits), so scores sort as the ids do (ids of one millisecond from
 * different shards may tie; ties are ordered by pin id).
 */
export function timelineScore(pinId: string): number {
  const id = BigInt(pinId);
  const ms = Number(id >> SHARD_AND_SEQUENCE_BITS) + EPOCH_MS;
  return ms + Number(id & SEQUENCE_MASK) / 4096;
}
