// A FollowingTimeline read straight from the pin tables, one statement per read: the pins on PUBLIC
// boards created by the people the user follows or placed on the boards the user follows, never the
// user's own, newest first (the contract in ../timeline/timeline.ts, scores from timelineScore).
//
// The home feed runs on it when no stored timeline service is wired in, and it is what a stored
// timeline falls back to while its store is unreachable or a returning user's timeline is being
// rebuilt: `new DatabaseFollowingTimeline(new FollowedPinsRepository(db))` answers the same read()
// as the stored timelines, with no fan-out and no celebrity split (every source is read at once).
import { timelineScore, type FollowingTimeline, type TimelineEntry, type TimelineReadOptions } from '../timeline/timeline.js';
import type { FollowedPinsRepository } from './followed-pins.repository.js';

export class DatabaseFollowingTimeline implements FollowingTimeline {
  constructor(private readonly followedPins: FollowedPinsRepository) {}

  async read(userId: string, { limit, beforeScore }: TimelineReadOptions): Promise<TimelineEntry[]> {
    if (limit <= 0) return [];
    const pinIds = await this.followedPins.newest(userId, limit, beforeScore);
    return pinIds.map((pinId) => ({ pinId, score: timelineScore(pinId) }));
  }
}
