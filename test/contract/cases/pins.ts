// Contract rows for pins, the pin lists of boards and sections, and search.
import { expect } from 'vitest';
import { createPin, imageSource, type V5Body } from '../../support/fixtures.js';
import { MISSING_ID } from '../contract-world.js';
import { badBookmark, emptyList, missingScope, noToken, pages, row, type Case, type Req } from '../contract-case.js';
import type { ContractWorld } from '../contract-world.js';

const ids = (body: V5Body) => body.items.map((item) => item.id);

const boardPins = (w: ContractWorld): Req => ({ url: `/v5/boards/${w.main.id}/pins`, as: w.alice });
const sectionPins = (w: ContractWorld): Req => ({ url: `/v5/boards/${w.main.id}/sections/${w.sections.a.id}/pins`, as: w.alice });
const upload = async (w: ContractWorld): Promise<Req> => ({
  url: '/v5/pins',
  as: w.alice,
  payload: {
    board_id: w.main.id,
    board_section_id: w.sections.b.id,
    title: 'Uploaded by a case',
    description: 'contract',
    link: 'https://example.com/page',
    alt_text: 'a square',
    media_source: await imageSource(),
  },
});
const ownPins = (w: ContractWorld): Req => ({ url: '/v5/pins', as: w.alice });
const firstPin = (w: ContractWorld): Req => ({ url: `/v5/pins/${w.pins[0]!.id}`, as: w.alice });
const patchFirst = (w: ContractWorld): Req => ({ ...firstPin(w), payload: { description: 'patched by the contract suite' } });
const saveBobPin = (w: ContractWorld): Req => ({ url: `/v5/pins/${w.bobPin.id}/save`, as: w.alice, payload: { board_id: w.scratch.id } });
const searchPins = (w: ContractWorld): Req => ({ url: '/v5/search/pins?query=quokka', as: w.alice });
const searchBoards = (w: ContractWorld): Req => ({ url: '/v5/search/boards?query=contract', as: w.alice });

export const pinCases: Case[] = [
  // GET /boards/{board_id}/pins
  row('GET /boards/{board_id}/pins', 'pins of a board', 200, boardPins, {
    check: (body, w) => expect(ids(body)).toEqual(expect.arrayContaining(w.pins.map((p) => p.id))),
  }),
  ...pages('GET /boards/{board_id}/pins', boardPins),
  emptyList('GET /boards/{board_id}/pins', 'a board without pins', (w) => ({ url: `/v5/boards/${w.empty.id}/pins`, as: w.alice })),
  badBookmark('GET /boards/{board_id}/pins', boardPins),
  noToken('GET /boards/{board_id}/pins', boardPins),
  missingScope('GET /boards/{board_id}/pins', boardPins, (w) => w.boardsReadOnly),
  row('GET /boards/{board_id}/pins', 'unknown board', 404, (w) => ({ url: `/v5/boards/${MISSING_ID}/pins`, as: w.alice }), { code: 40 }),

  // GET /boards/{board_id}/sections/{section_id}/pins
  row('GET /boards/{board_id}/sections/{section_id}/pins', 'pins of a section', 200, sectionPins, {
    check: (body, w) => {
      expect(ids(body)).toEqual(expect.arrayContaining(w.pins.map((p) => p.id)));
      for (const pin of body.items) expect(pin.board_section_id).toBe(w.sections.a.id);
    },
  }),
  ...pages('GET /boards/{board_id}/sections/{section_id}/pins', sectionPins),
  emptyList('GET /boards/{board_id}/sections/{section_id}/pins', 'a section without pins', (w) => ({
    url: `/v5/boards/${w.empty.id}/sections/${w.emptySection.id}/pins`,
    as: w.alice,
  })),
  badBookmark('GET /boards/{board_id}/sections/{section_id}/pins', sectionPins),
  noToken('GET /boards/{board_id}/sections/{section_id}/pins', sectionPins),
  missingScope('GET /boards/{board_id}/sections/{section_id}/pins', sectionPins, (w) => w.boardsReadOnly),
  row('GET /boards/{board_id}/sections/{section_id}/pins', 'unknown section', 404, (w) => ({ url: `/v5/boards/${w.main.id}/sections/${MISSING_ID}/pins`, as: w.alice }), { code: 2031 }),
  row('GET /boards/{board_id}/sections/{section_id}/pins', 'unknown board', 404, (w) => ({ url: `/v5/boards/${MISSING_ID}/sections/${w.sections.a.id}/pins`, as: w.alice }), { code: 40 }),

  // POST /pins
  row('POST /pins', 'uploads a pin into a section', 201, upload, {
    check: (body, w) => expect(body).toMatchObject({ board_id: w.main.id, board_section_id: w.sections.b.id, title: 'Uploaded by a case', is_owner: true }),
  }),
  row('POST /pins', 'saves an existing pin with parent_pin_id', 201, (w) => ({ url: '/v5/pins', as: w.alice, payload: { board_id: w.third.id, parent_pin_id: w.pins[1]!.id } }), {
    check: (body, w) => expect(body).toMatchObject({ board_id: w.third.id, parent_pin_id: w.pins[1]!.id, title: 'quokka two' }),
  }),
  row('POST /pins', 'an editor collaborator pins onto the board', 201, async (w) => ({ ...(await upload(w)), as: w.carol })),
  row('POST /pins', 'neither media_source nor parent_pin_id', 400, (w) => ({ url: '/v5/pins', as: w.alice, payload: { board_id: w.main.id, title: 'x' } }), { code: 1 }),
  row('POST /pins', 'missing board_id', 400, async (w) => ({ url: '/v5/pins', as: w.alice, payload: { media_source: await imageSource() } }), { code: 1 }),
  row('POST /pins', 'link that is not http(s)', 400, async (w) => {
    const req = await upload(w);
    return { ...req, payload: { ...(req.payload as object), link: 'javascript:alert(1)' } };
  }, { code: 1 }),
  row('POST /pins', 'unsupported media source type', 400, (w) => ({ url: '/v5/pins', as: w.alice, payload: { board_id: w.main.id, media_source: { source_type: 'video_id', media_id: '1' } } }), { code: 1 }),
  row('POST /pins', 'bytes that are not an image', 400, (w) => ({
    url: '/v5/pins',
    as: w.alice,
    payload: { board_id: w.main.id, media_source: { source_type: 'image_base64', content_type: 'image/png', data: Buffer.from('not an image at all').toString('base64') } },
  }), { code: 4003 }),
  row('POST /pins', 'unknown field', 400, async (w) => {
    const req = await upload(w);
    return { ...req, payload: { ...(req.payload as object), colour: 'red' } };
  }, { code: 1 }),
  noToken('POST /pins', upload),
  missingScope('POST /pins', upload, (w) => w.boardsReadOnly),
  row('POST /pins', "onto someone else's board", 403, async (w) => ({ ...(await upload(w)), as: w.erin }), { code: 29 }),
  row('POST /pins', 'a viewer collaborator may not pin', 403, async (w) => ({ ...(await upload(w)), as: w.bob }), { code: 29 }),
  row('POST /pins', 'unknown board', 404, async (w) => {
    const req = await upload(w);
    return { ...req, payload: { ...(req.payload as object), board_id: MISSING_ID, board_section_id: undefined } };
  }, { code: 40 }),
  row('POST /pins', 'unknown section', 404, async (w) => {
    const req = await upload(w);
    return { ...req, payload: { ...(req.payload as object), board_section_id: MISSING_ID } };
  }, { code: 2031 }),
  row('POST /pins', 'unknown parent pin', 404, (w) => ({ url: '/v5/pins', as: w.alice, payload: { board_id: w.third.id, parent_pin_id: MISSING_ID } }), { code: 50 }),

  // GET /pins
  row('GET /pins', 'own pins', 200, ownPins, {
    check: (body, w) => expect(ids(body)).toEqual(expect.arrayContaining(w.pins.map((p) => p.id))),
  }),
  ...pages('GET /pins', ownPins),
  emptyList('GET /pins', 'a user with no pins', (w) => ({ url: '/v5/pins', as: w.erin })),
  row('GET /pins', 'filters and protected pins', 200, (w) => ({ url: '/v5/pins?pin_filter=exclude_repins&include_protected_pins=true', as: w.alice }), {
    check: (body) => {
      for (const pin of body.items) expect(pin.parent_pin_id).toBeNull();
    },
  }),
  badBookmark('GET /pins', ownPins),
  row('GET /pins', 'unknown pin_filter', 400, (w) => ({ url: '/v5/pins?pin_filter=everything', as: w.alice }), { code: 1 }),
  noToken('GET /pins', ownPins),
  missingScope('GET /pins', ownPins, (w) => w.boardsReadOnly),

  // GET /pins/{pin_id}
  row('GET /pins/{pin_id}', 'a pin', 200, firstPin, {
    check: (body, w) => expect(body).toMatchObject({ id: w.pins[0]!.id, title: 'quokka one', board_id: w.main.id, board_owner: { username: w.alice.username } }),
  }),
  row('GET /pins/{pin_id}', "someone else's pin on a public board", 200, (w) => ({ url: `/v5/pins/${w.bobPin.id}`, as: w.alice }), {
    check: (body) => expect(body.is_owner).toBe(false),
  }),
  noToken('GET /pins/{pin_id}', firstPin),
  missingScope('GET /pins/{pin_id}', firstPin, (w) => w.boardsReadOnly),
  row('GET /pins/{pin_id}', 'malformed ad_account_id', 400, (w) => ({ ...firstPin(w), url: `${firstPin(w).url}?ad_account_id=abc` }), { code: 1 }),
  row('GET /pins/{pin_id}', 'unknown id', 404, (w) => ({ url: `/v5/pins/${MISSING_ID}`, as: w.alice }), { code: 50 }),
  row('GET /pins/{pin_id}', 'malformed id', 404, (w) => ({ url: '/v5/pins/pin-one', as: w.alice }), { code: 50 }),

  // PATCH /pins/{pin_id}
  row('PATCH /pins/{pin_id}', 'updates text', 200, patchFirst, { check: (body) => expect(body.description).toBe('patched by the contract suite') }),
  row('PATCH /pins/{pin_id}', 'moves the pin to another section', 200, (w) => ({ url: `/v5/pins/${w.pins[2]!.id}`, as: w.alice, payload: { board_section_id: w.sections.b.id } }), {
    check: (body, w) => expect(body.board_section_id).toBe(w.sections.b.id),
  }),
  row('PATCH /pins/{pin_id}', 'title over 100 characters', 400, (w) => ({ ...firstPin(w), payload: { title: 'x'.repeat(101) } }), { code: 1 }),
  row('PATCH /pins/{pin_id}', 'unknown field', 400, (w) => ({ ...firstPin(w), payload: { media_source: {} } }), { code: 1 }),
  noToken('PATCH /pins/{pin_id}', patchFirst),
  missingScope('PATCH /pins/{pin_id}', patchFirst, (w) => w.boardsReadOnly),
  row('PATCH /pins/{pin_id}', "someone else's pin", 403, (w) => ({ ...patchFirst(w), as: w.erin }), { code: 29 }),
  row('PATCH /pins/{pin_id}', 'moving a save onto a board that already holds a save of the same pin', 409, async (w) => {
    const moving = await createPin(w.t, w.alice, w.scratch.id, { parent_pin_id: w.pins[2]!.id });
    await createPin(w.t, w.alice, w.third.id, { parent_pin_id: w.pins[2]!.id });
    return { url: `/v5/pins/${moving.id}`, as: w.alice, payload: { board_id: w.third.id } };
  }),
  row('PATCH /pins/{pin_id}', 'unknown id', 404, (w) => ({ ...patchFirst(w), url: `/v5/pins/${MISSING_ID}` }), { code: 50 }),
  row('PATCH /pins/{pin_id}', 'move to an unknown board', 404, (w) => ({ ...firstPin(w), payload: { board_id: MISSING_ID } }), { code: 40 }),
  row('PATCH /pins/{pin_id}', 'move to an unknown section', 404, (w) => ({ ...firstPin(w), payload: { board_section_id: MISSING_ID } }), { code: 2031 }),

  // DELETE /pins/{pin_id}
  row('DELETE /pins/{pin_id}', 'deletes a pin', 204, async (w) => {
    const pin = await createPin(w.t, w.alice, w.scratch.id, { parent_pin_id: w.pins[0]!.id });
    w.memo.set('deleted pin', pin.id);
    return { url: `/v5/pins/${pin.id}`, as: w.alice };
  }),
  row('DELETE /pins/{pin_id}', 'a deleted pin is gone', 404, (w) => ({ url: `/v5/pins/${w.memo.get('deleted pin') ?? MISSING_ID}`, as: w.alice }), { code: 50 }),
  noToken('DELETE /pins/{pin_id}', firstPin),
  missingScope('DELETE /pins/{pin_id}', firstPin, (w) => w.boardsReadOnly),
  row('DELETE /pins/{pin_id}', "someone else's pin", 403, (w) => ({ ...firstPin(w), as: w.erin }), { code: 29 }),
  row('DELETE /pins/{pin_id}', 'unknown id', 404, (w) => ({ url: `/v5/pins/${MISSING_ID}`, as: w.alice }), { code: 50 }),

  // POST /pins/{pin_id}/save
  row('POST /pins/{pin_id}/save', "saves someone else's pin", 201, saveBobPin, {
    check: (body, w) => {
      expect(body).toMatchObject({ board_id: w.scratch.id, parent_pin_id: w.bobPin.id, is_owner: true });
      w.memo.set('saved pin', body.id);
    },
  }),
  row('POST /pins/{pin_id}/save', 'saving again answers the same pin', 201, saveBobPin, {
    check: (body, w) => expect(body.id).toBe(w.memo.get('saved pin')),
  }),
  row('POST /pins/{pin_id}/save', 'missing board_id', 400, (w) => ({ ...saveBobPin(w), payload: {} }), { code: 1 }),
  row('POST /pins/{pin_id}/save', 'board_id null', 400, (w) => ({ ...saveBobPin(w), payload: { board_id: null } }), { code: 1 }),
  row('POST /pins/{pin_id}/save', 'unknown field', 400, (w) => ({ ...saveBobPin(w), payload: { board_id: w.scratch.id, note: 'x' } }), { code: 1 }),
  noToken('POST /pins/{pin_id}/save', saveBobPin),
  missingScope('POST /pins/{pin_id}/save', saveBobPin, (w) => w.boardsReadOnly),
  row('POST /pins/{pin_id}/save', "onto someone else's board", 403, (w) => ({ ...saveBobPin(w), payload: { board_id: w.bobBoard.id } }), { code: 29 }),
  row('POST /pins/{pin_id}/save', 'unknown pin', 404, (w) => ({ ...saveBobPin(w), url: `/v5/pins/${MISSING_ID}/save` }), { code: 50 }),
  row('POST /pins/{pin_id}/save', 'unknown board', 404, (w) => ({ ...saveBobPin(w), payload: { board_id: MISSING_ID } }), { code: 40 }),

  // GET /search/pins
  row('GET /search/pins', 'own pins matching the words', 200, searchPins, {
    check: (body, w) => expect(ids(body)).toEqual(expect.arrayContaining(w.pins.map((p) => p.id))),
  }),
  row('GET /search/pins', 'a comma-separated list of pin ids', 200, (w) => ({ url: `/v5/search/pins?query=${w.pins[0]!.id},${w.pins[1]!.id}`, as: w.alice }), {
    check: (body, w) => expect(ids(body).sort()).toEqual([w.pins[0]!.id, w.pins[1]!.id].sort()),
  }),
  ...pages('GET /search/pins', searchPins),
  emptyList('GET /search/pins', 'no match', (w) => ({ url: '/v5/search/pins?query=xylophone', as: w.alice })),
  row('GET /search/pins', 'missing query', 400, (w) => ({ url: '/v5/search/pins', as: w.alice }), { code: 1 }),
  row('GET /search/pins', 'blank query', 400, (w) => ({ url: '/v5/search/pins?query=%20%20', as: w.alice }), { code: 4161 }),
  badBookmark('GET /search/pins', searchPins),
  noToken('GET /search/pins', searchPins),
  missingScope('GET /search/pins', searchPins, (w) => w.boardsReadOnly),

  // GET /search/boards
  row('GET /search/boards', 'own boards matching the words', 200, searchBoards, {
    check: (body, w) => expect(ids(body)).toEqual(expect.arrayContaining([w.main.id, w.third.id, w.empty.id])),
  }),
  row('GET /search/boards', 'without a query: all own boards', 200, (w) => ({ url: '/v5/search/boards', as: w.alice }), {
    check: (body, w) => expect(ids(body)).toEqual(expect.arrayContaining([w.main.id, w.scratch.id])),
  }),
  ...pages('GET /search/boards', searchBoards),
  emptyList('GET /search/boards', 'no match', (w) => ({ url: '/v5/search/boards?query=xylophone', as: w.alice })),
  row('GET /search/boards', 'blank query', 400, (w) => ({ url: '/v5/search/boards?query=%20', as: w.alice }), { code: 4161 }),
  badBookmark('GET /search/boards', searchBoards),
  noToken('GET /search/boards', searchBoards),
  missingScope('GET /search/boards', searchBoards, (w) => w.accountsReadOnly),
];
