// Two Corkboard processes on one PostgreSQL; the one that handles the owner's changes reaches Redis
// through a proxy that turns into a blackhole (every byte dropped, nothing closed). A revoke, a
// collaborator's removal and a board made SECRET answer there, and the other process, which had just
// served the old permission, is asked at once after each answer: it never serves it again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiUser } from './harness/api-client.js';
import type { CorkboardProcess } from './harness/corkboard-process.js';
import { FaultProxy } from './harness/fault-proxy.js';
import { apiOf, report, smallPngs, startFaultWorld, type FaultWorld } from './harness/fault-world.js';
import { pngSource } from './harness/write-load.js';

let world: FaultWorld;
/** Handles the owner's changes; its Redis goes into a blackhole. */
let writer: CorkboardProcess;
let reader: CorkboardProcess;
let writerRedis: FaultProxy;

const ROUNDS = 40;
// Not what this file is about: every sign-in and read here would count against the limits.
const env = { RATE_LIMITS: 'off' };

beforeAll(async () => {
  world = await startFaultWorld({ redis: true });
  writerRedis = await FaultProxy.start(world.teardown, world.redis!.port);
  writer = await world.startServer({ env: { ...env, REDIS_URL: world.redis!.url(writerRedis.port) } });
  reader = await world.startServer({ env });
});
afterAll(async () => {
  await world?.teardown.run();
});

describe('permissions across processes, the writer cut off from Redis', () => {
  it('serves no revoked token, removed collaborator or hidden board on the other process after the change answered', async () => {
    const onWriter = apiOf(writer);
    const onReader = apiOf(reader);
    const ana = await onReader.signUp('perm_ana');
    const ben = await onReader.signUp('perm_ben');
    const secretBoard = await onReader.createBoard(ana, 'Secret', 'SECRET');
    const publicBoard = await onReader.createBoard(ana, 'Soon hidden');
    const [image] = await smallPngs(1);
    const pin = await onReader.request('POST', '/v5/pins', { token: ana.token, body: { board_id: publicBoard, media_source: pngSource(image!) } });
    expect(pin.status).toBe(201);
    const pinId = (pin.body as { id: string }).id;
    writerRedis.blackhole();

    const signIn = async (): Promise<ApiUser> => {
      const form = new URLSearchParams({ grant_type: 'password', username: ana.username, password: `pw-${ana.username}-secret` });
      const reply = await onReader.request('POST', '/v5/oauth/token', { body: form.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expect(reply.status).toBe(200);
      return { ...ana, token: (reply.body as { access_token: string }).access_token };
    };
    const stale = { revoke: 0, removal: 0, privacy: 0 };
    const answerMs: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const session = await signIn();
      expect((await onReader.request('GET', '/v5/user_account', { token: session.token })).status).toBe(200);
      expect((await onReader.request('GET', '/v5/user_account', { token: session.token })).status).toBe(200);
      const revoked = await onWriter.request('POST', '/v5/oauth/token/revoke', {
        body: new URLSearchParams({ token: session.token }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(revoked.status).toBe(200);
      answerMs.push(revoked.ms);
      if ((await onReader.request('GET', '/v5/user_account', { token: session.token })).status !== 401) stale.revoke += 1;

      const invited = await onReader.request('POST', `/v5/boards/${secretBoard}/collaborators`, { token: ana.token, body: { username: ben.username, role: 'viewer' } });
      expect(invited.status).toBe(201);
      expect((await onReader.request('GET', `/v5/boards/${secretBoard}`, { token: ben.token })).status).toBe(200);
      expect((await onReader.request('GET', `/v5/boards/${secretBoard}`, { token: ben.token })).status).toBe(200);
      const removed = await onWriter.request('DELETE', `/v5/boards/${secretBoard}/collaborators/${ben.username}`, { token: ana.token });
      expect(removed.status).toBe(204);
      answerMs.push(removed.ms);
      if ((await onReader.request('GET', `/v5/boards/${secretBoard}`, { token: ben.token })).status !== 404) stale.removal += 1;

      const shown = await onWriter.request('PATCH', `/v5/boards/${publicBoard}`, { token: ana.token, body: { privacy: 'PUBLIC' } });
      expect(shown.status).toBe(200);
      expect((await onReader.request('GET', `/v5/pins/${pinId}`, { token: ben.token })).status).toBe(200);
      expect((await onReader.request('GET', `/v5/pins/${pinId}`, { token: ben.token })).status).toBe(200);
      const hidden = await onWriter.request('PATCH', `/v5/boards/${publicBoard}`, { token: ana.token, body: { privacy: 'SECRET' } });
      expect(hidden.status).toBe(200);
      answerMs.push(hidden.ms);
      if ((await onReader.request('GET', `/v5/pins/${pinId}`, { token: ben.token })).status !== 404) stale.privacy += 1;
    }
    answerMs.sort((a, b) => a - b);
    report('permission changes with the writer\'s Redis in a blackhole', {
      rounds: ROUNDS,
      staleAfterRevoke: stale.revoke,
      staleAfterRemoval: stale.removal,
      staleAfterSecret: stale.privacy,
      changeAnswerP50Ms: Math.round(answerMs[Math.floor(answerMs.length / 2)]!),
      changeAnswerMaxMs: Math.round(answerMs[answerMs.length - 1]!),
    });
    expect(stale).toEqual({ revoke: 0, removal: 0, privacy: 0 });
  });
});
