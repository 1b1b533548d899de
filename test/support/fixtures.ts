// Factories for the cross-cutting suites (contract, privacy): boards, sections, pins, collaborators
// and follows made through the v5 API as a client would make them, extra tokens with chosen scopes,
// and small images to pin. Each factory throws with the reply's status and body when the API refuses,
// so a broken world fails in beforeAll with the reason instead of a confusing later assertion.
import sharp from 'sharp';
import type { LightMyRequestResponse } from 'fastify';
import type { Scope } from '../../src/platform/http/viewer.js';
import type { TestApp, TestUser } from './test-app.js';

/** A well-formed id that names nothing: what a hidden entity must be indistinguishable from. */
export const MISSING_ID = '9000000000000000001';

/** Every scope but the *_secret ones: the token of an app that was never granted secret access. */
export const NO_SECRET_SCOPES: readonly Scope[] = [
  'boards:read',
  'boards:write',
  'pins:read',
  'pins:write',
  'user_accounts:read',
  'user_accounts:write',
];

/** Another token for an existing user, with exactly `scopes`. */
export async function tokenFor(t: TestApp, user: TestUser, scopes: readonly Scope[]): Promise<TestUser> {
  const issued = await t.container.services.tokens.issueFor(user.id, scopes);
  return { ...user, token: issued.access_token };
}

/**
 * The fields tests read from a v5 body, in one loose view (boards, pins, sections, collaborators, users,
 * tokens, lists, errors). Suites validate a body against its schema before reading it through this.
 */
export interface V5Body {
  id: string;
  name: string;
  privacy?: string;
  description: string | null;
  title: string | null;
  board_id: string;
  board_section_id: string | null;
  parent_pin_id: string | null;
  is_owner: boolean;
  role: string;
  follower_count: number;
  pin_count: number;
  username: string;
  user: { id: string; username: string };
  access_token: string;
  refresh_token: string;
  code: number;
  items: V5Body[];
  bookmark: string | null;
}

/** The reply's body as a client reads it: parsed JSON, or undefined for an empty body. */
export function bodyOf(reply: LightMyRequestResponse): unknown {
  if (reply.body === '') return undefined;
  const type = String(reply.headers['content-type'] ?? '');
  return type.includes('json') ? (JSON.parse(reply.body) as unknown) : reply.body;
}

function expectStatus(reply: LightMyRequestResponse, expected: readonly number[], what: string): void {
  if (!expected.includes(reply.statusCode)) {
    throw new Error(`${what}: expected ${expected.join(' or ')}, got ${reply.statusCode} ${reply.body.slice(0, 500)}`);
  }
}

let colourSeed = 0;

/** A small PNG in a colour no earlier call used, so every image is new bytes. */
export async function pngBase64(size = 16): Promise<string> {
  colourSeed += 1;
  const rgb = (colourSeed * 2654435761) % 0xffffff;
  const background = { r: (rgb >> 16) & 0xff, g: (rgb >> 8) & 0xff, b: rgb & 0xff };
  const png = await sharp({ create: { width: size, height: size, channels: 3, background } }).png().toBuffer();
  return png.toString('base64');
}

/** A v5 PinMediaSource uploading a fresh small PNG. */
export async function imageSource(): Promise<{ source_type: 'image_base64'; content_type: 'image/png'; data: string }> {
  return { source_type: 'image_base64', content_type: 'image/png', data: await pngBase64() };
}

export interface BoardReply {
  id: string;
  name: string;
  privacy?: string;
  pin_count: number;
  follower_count: number;
  collaborator_count: number;
}

export interface PinReply {
  id: string;
  board_id: string;
  board_section_id: string | null;
  title: string | null;
  media: { images: Record<string, { url: string }> };
}

export async function createBoard(
  t: TestApp,
  as: TestUser,
  fields: { name: string; description?: string; privacy?: 'PUBLIC' | 'PROTECTED' | 'SECRET' },
): Promise<BoardReply> {
  const reply = await t.request({ method: 'POST', url: '/v5/boards', payload: fields, as });
  expectStatus(reply, [201], `create board "${fields.name}" as ${as.username}`);
  return reply.json<BoardReply>();
}

export async function createSection(t: TestApp, as: TestUser, boardId: string, name: string): Promise<{ id: string; name: string }> {
  const reply = await t.request({ method: 'POST', url: `/v5/boards/${boardId}/sections`, payload: { name }, as });
  expectStatus(reply, [201], `create section "${name}" as ${as.username}`);
  return reply.json<{ id: string; name: string }>();
}

/** A pin with a freshly uploaded image (or, with `parent_pin_id` in `fields`, a save reusing its image). */
export async function createPin(t: TestApp, as: TestUser, boardId: string, fields: Record<string, unknown> = {}): Promise<PinReply> {
  const payload = { board_id: boardId, ...('parent_pin_id' in fields ? {} : { media_source: await imageSource() }), ...fields };
  const reply = await t.request({ method: 'POST', url: '/v5/pins', payload, as });
  expectStatus(reply, [201], `create pin on board ${boardId} as ${as.username}`);
  return reply.json<PinReply>();
}

export async function inviteCollaborator(
  t: TestApp,
  owner: TestUser,
  boardId: string,
  user: TestUser,
  role: 'editor' | 'viewer',
): Promise<void> {
  const reply = await t.request({
    method: 'POST',
    url: `/v5/boards/${boardId}/collaborators`,
    payload: { username: user.username, role },
    as: owner,
  });
  expectStatus(reply, [200, 201], `invite ${user.username} as ${role}`);
}

export async function followBoard(t: TestApp, as: TestUser, boardId: string): Promise<void> {
  const reply = await t.request({ method: 'POST', url: `/v5/boards/${boardId}/follow`, as });
  expectStatus(reply, [200], `${as.username} follows board ${boardId}`);
}

export async function followUser(t: TestApp, as: TestUser, username: string): Promise<void> {
  const reply = await t.request({ method: 'POST', url: `/v5/user_account/following/${username}`, payload: {}, as });
  expectStatus(reply, [200], `${as.username} follows ${username}`);
}

/** The path of a URL the API handed out (pin images are absolute URLs on the public base URL). */
export function pathOf(url: string): string {
  const parsed = new URL(url);
  return parsed.pathname + parsed.search;
}
