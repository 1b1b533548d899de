// Following people, and listing who follows whom and which boards the viewer follows. Following is
// idempotent: a second follow (or unfollow) changes nothing and moves no counter.
import { AppError } from '../platform/errors.js';
import { isForeignKeyViolation } from '../platform/db/pg-errors.js';
import type { BoardRow, UserRow } from '../platform/db/schema.js';
import type { Viewer } from '../platform/http/viewer.js';
import { toPage, type Page, type PageRequest } from '../platform/http/pagination.js';
import type { AccountRepository } from '../accounts/account.repository.js';
import type { BoardCard } from '../boards/board.service.js';
import { followCursorKey, toFollowCursor } from './follow-cursor.js';
import type { FollowedUserRow, FollowRepository } from './follow.repository.js';

export interface FollowServiceDeps {
  follows: FollowRepository;
  /** Finds the person to follow by username. */
  accounts: AccountRepository;
  /** The boards feature's v5 board cards (owner, cover, thumbnails) for followed boards. */
  boardCards: { cards(boards: readonly BoardRow[]): Promise<BoardCard[]> };
}

export class FollowService {
  constructor(private readonly deps: FollowServiceDeps) {}

  /** Follows `username` and returns them: USER_NOT_FOUND (404) or CANNOT_FOLLOW_SELF (400). */
  async followUser(viewer: Viewer, username: string): Promise<UserRow> {
    const followee = await this.otherUser(viewer, username);
    try {
      await this.deps.follows.addUserFollow(viewer.userId, followee.id);
    } catch (error) {
      // The account was deleted between the lookup and the insert.
      if (isForeignKeyViolation(error)) throw new AppError('USER_NOT_FOUND');
      throw error;
    }
    return followee;
  }

  /** Stops following `username`; succeeds too when the viewer did not follow them. */
  async unfollowUser(viewer: Viewer, username: string): Promise<void> {
    const followee = await this.otherUser(viewer, username);
    await this.deps.follows.removeUserFollow(viewer.userId, followee.id);
  }

  async listFollowers(viewer: Viewer, page: PageRequest): Promise<Page<FollowedUserRow>> {
    return this.followersOf(viewer.userId, page);
  }

  async listFollowing(viewer: Viewer, page: PageRequest): Promise<Page<FollowedUserRow>> {
    return this.followingOf(viewer.userId, page);
  }

  /** Anyone's followers, newest follow first: who follows whom is public, as on Pinterest. */
  async followersOf(userId: string, page: PageRequest): Promise<Page<FollowedUserRow>> {
    const rows = await this.deps.follows.listFollowers(userId, toFollowCursor(page.after), page.limit);
    return toPage(rows, page.limit, followCursorKey);
  }

  /** The people anyone follows, newest follow first. */
  async followingOf(userId: string, page: PageRequest): Promise<Page<FollowedUserRow>> {
    const rows = await this.deps.follows.listFollowing(userId, toFollowCursor(page.after), page.limit);
    return toPage(rows, page.limit, followCursorKey);
  }

  /** GET /v5/users/{username}/followers and /following: USER_NOT_FOUND (404) for an unknown name. */
  async followersOfUsername(username: string, page: PageRequest): Promise<Page<FollowedUserRow>> {
    return this.followersOf((await this.existingUser(username)).id, page);
  }

  async followingOfUsername(username: string, page: PageRequest): Promise<Page<FollowedUserRow>> {
    return this.followingOf((await this.existingUser(username)).id, page);
  }

  /** Which of these people the viewer follows (a profile's "Follow" / "Unfollow"). */
  async followsPeople(viewer: Viewer, userIds: readonly string[]): Promise<Set<string>> {
    return this.deps.follows.followedAmong(viewer.userId, userIds);
  }

  /** Which of these boards the viewer follows (a board's "Follow" / "Unfollow"). */
  async followsBoards(viewer: Viewer, boardIds: readonly string[]): Promise<Set<string>> {
    return this.deps.follows.followedBoardsAmong(viewer.userId, boardIds);
  }

  async listFollowedBoards(viewer: Viewer, page: PageRequest): Promise<Page<BoardCard>> {
    const rows = await this.deps.follows.listFollowedBoards(viewer, toFollowCursor(page.after), page.limit);
    const { items, next } = toPage(rows, page.limit, followCursorKey);
    return { items: await this.deps.boardCards.cards(items), next };
  }

  private async otherUser(viewer: Viewer, username: string): Promise<UserRow> {
    const user = await this.existingUser(username);
    if (user.id === viewer.userId) throw new AppError('CANNOT_FOLLOW_SELF');
    return user;
  }

  private async existingUser(username: string): Promise<UserRow> {
    const user = await this.deps.accounts.findByUsername(username);
    if (!user) throw new AppError('USER_NOT_FOUND');
    return user;
  }
}
