// Contract rows for the discovery extensions: GET /v5/feeds/home and GET /v5/pins/{pin_id}/related. Both
// answer v5 Pin lists; a pin the caller cannot see answers like one that does not exist.
import { expect } from 'vitest';
import { createBoard, createPin } from '../../support/fixtures.js';
import { missingScope, noToken, row, withQuery, type Case, type Req } from '../contract-case.js';
import type { ContractWorld } from '../contract-world.js';

const HOME = 'GET /v5/feeds/home';
const RELATED = 'GET /v5/pins/{pin_id}/related';

const home = (w: ContractWorld): Req => ({ url: withQuery('/v5/feeds/home', { page_size: 5 }), as: w.alice });

async function erinSecretPin(w: ContractWorld): Promise<string> {
  if (!w.memo.has('feeds secret pin')) {
    const board = await createBoard(w.t, w.erin, { name: 'Feeds secret', privacy: 'SECRET' });
    w.memo.set('feeds secret pin', (await createPin(w.t, w.erin, board.id)).id);
  }
  return w.memo.get('feeds secret pin')!;
}

const related = (w: ContractWorld): Req => ({ url: `/v5/pins/${w.bobPin.id}/related`, as: w.alice });

const isPinList = (body: unknown) => {
  const { items, bookmark } = body as { items: { id: string }[]; bookmark: unknown };
  expect(Array.isArray(items)).toBe(true);
  expect(bookmark === null || typeof bookmark === 'string').toBe(true);
  for (const item of items) expect(item.id).toMatch(/^\d+$/);
};

export const feedCases: Case[] = [
  row(HOME, 'a page of the viewer\'s home feed', 200, home, { check: (body) => isPinList(body) }),
  row(HOME, 'page_size above the maximum', 400, (w) => ({ url: withQuery('/v5/feeds/home', { page_size: 1000 }), as: w.alice }), { code: 1 }),
  row(HOME, 'a malformed bookmark', 400, (w) => ({ url: withQuery('/v5/feeds/home', { bookmark: 'not-a-bookmark' }), as: w.alice }), { code: 4001 }),
  noToken(HOME, home),
  missingScope(HOME, home, (w) => w.accountsReadOnly),
  row(RELATED, 'related pins of a public pin', 200, related, {
    check: (body, w) => {
      isPinList(body);
      expect((body as { items: { id: string }[] }).items.map((item) => item.id)).not.toContain(w.bobPin.id);
    },
  }),
  row(RELATED, 'a secret pin of someone else answers like a missing one', 404, async (w) => ({ url: `/v5/pins/${await erinSecretPin(w)}/related`, as: w.alice }), { code: 50 }),
  row(RELATED, 'a pin that does not exist', 404, (w) => ({ url: '/v5/pins/999999999999/related', as: w.alice }), { code: 50 }),
  noToken(RELATED, related),
];
