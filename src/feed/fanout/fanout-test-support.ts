// Helpers for the timeline and fan-out tests: follows made through the API (so the change log and
// activity are real), and what a person's timeline holds, read the way the home feed reads it or
// straight from the store (to tell a delivery from a rebuild).
import { expect } from 'vitest';
import type { TestApp, TestUser } from '../../../test/support/test-app.js';

export async function follow(t: TestApp, follower: TestUser, followee: TestUser): Promise<void> {
  const reply = await t.request({ method: 'POST', url: `/v5/user_account/following/${followee.username}`, as: follower, payload: {} });
  expect(reply.statusCode, reply.body).toBeLessThan(300);
}

export async function unfollow(t: TestApp, follower: TestUser, followee: TestUser): Promise<void> {
  const reply = await t.request({ method: 'DELETE', url: `/v5/user_account/following/${followee.username}`, as: follower });
  expect(reply.statusCode, reply.body).toBe(204);
}

export async function followBoard(t: TestApp, follower: TestUser, boardId: string): Promise<void> {
  const reply = await t.request({ method: 'POST', url: `/v5/boards/${boardId}/follow`, as: follower, payload: {} });
  expect(reply.statusCode, reply.body).toBeLessThan(300);
}

export async function unfollowBoard(t: TestApp, follower: TestUser, boardId: string): Promise<void> {
  const reply = await t.request({ method: 'DELETE', url: `/v5/boards/${boardId}/follow`, as: follower });
  expect(reply.statusCode, reply.body).toBe(204);
}

/** The pin ids of the user's following timeline, newest first, as the home feed reads them. */
export async function timelineOf(t: TestApp, user: TestUser, limit = 100): Promise<string[]> {
  const entries = await t.container.services.followingTimeline.read(user.id, { limit });
  return entries.map((entry) => entry.pinId);
}

/** The pin ids stored for the user (undefined when they have no stored timeline), newest first. */
export async function storedFor(t: TestApp, user: TestUser): Promise<string[] | undefined> {
  const page = await t.container.timelineParts.store.read(user.id, { limit: 1000 });
  return page?.entries.map((entry) => entry.pinId);
}

/** Waits until the change log, the fan-out relay and every job are done. */
export async function settle(t: TestApp): Promise<void> {
  await t.container.background.settle(20_000);
}
