// Contract rows for boards and board sections.
import { expect } from 'vitest';
import { createBoard, createSection } from '../../support/fixtures.js';
import { MISSING_ID } from '../contract-world.js';
import { badBookmark, emptyList, missingScope, noToken, pages, row, type Case, type Req } from '../contract-case.js';
import type { ContractWorld } from '../contract-world.js';

const boardsList = (w: ContractWorld): Req => ({ url: '/v5/boards', as: w.alice });
const createBody = (w: ContractWorld): Req => ({ url: '/v5/boards', as: w.alice, payload: { name: 'Contract created', description: 'made by a case' } });
const getMain = (w: ContractWorld): Req => ({ url: `/v5/boards/${w.main.id}`, as: w.alice });
const patchMain = (w: ContractWorld): Req => ({ url: `/v5/boards/${w.main.id}`, as: w.alice, payload: { description: 'patched by the contract suite' } });
const deleteMain = (w: ContractWorld): Req => ({ url: `/v5/boards/${w.main.id}`, as: w.alice });
const sectionsOfMain = (w: ContractWorld): Req => ({ url: `/v5/boards/${w.main.id}/sections`, as: w.alice });
const newSection = (w: ContractWorld): Req => ({ url: `/v5/boards/${w.main.id}/sections`, as: w.alice, payload: { name: 'Made by a case' } });
const renameC = (w: ContractWorld): Req => ({
  url: `/v5/boards/${w.main.id}/sections/${w.sections.c.id}`,
  as: w.alice,
  payload: { name: 'Section C renamed' },
});
const sectionB = (w: ContractWorld): Req => ({ url: `/v5/boards/${w.main.id}/sections/${w.sections.b.id}`, as: w.alice });

export const boardCases: Case[] = [
  // POST /boards
  row('POST /boards', 'creates a PUBLIC board', 201, createBody, {
    check: (body, w) => expect(body).toMatchObject({ name: 'Contract created', privacy: 'PUBLIC', owner: { username: w.alice.username }, pin_count: 0 }),
  }),
  row('POST /boards', 'creates a SECRET board', 201, (w) => ({ url: '/v5/boards', as: w.alice, payload: { name: 'Contract secret', privacy: 'SECRET' } }), {
    check: (body) => expect(body.privacy).toBe('SECRET'),
  }),
  row('POST /boards', 'creates a PROTECTED board', 201, (w) => ({ url: '/v5/boards', as: w.alice, payload: { name: 'Contract protected', privacy: 'PROTECTED' } }), {
    check: (body) => expect(body.privacy).toBe('PROTECTED'),
  }),
  row('POST /boards', 'first request with an Idempotency-Key', 201, (w) => ({ ...createBody(w), payload: { name: 'Contract idempotent' }, headers: { 'idempotency-key': 'contract-boards-1' } }), {
    check: (body, w) => w.memo.set('idempotent board', body.id),
  }),
  row('POST /boards', 'a retry with the same Idempotency-Key replays the first answer', 201, (w) => ({ ...createBody(w), payload: { name: 'Contract idempotent' }, headers: { 'idempotency-key': 'contract-boards-1' } }), {
    check: (body, w, reply) => {
      expect(body.id).toBe(w.memo.get('idempotent board'));
      expect(reply.headers['idempotent-replayed']).toBe('true');
    },
  }),
  row('POST /boards', 'the same Idempotency-Key with another body', 422, (w) => ({ ...createBody(w), payload: { name: 'Contract other' }, headers: { 'idempotency-key': 'contract-boards-1' } }), { code: 4220 }),
  row('POST /boards', 'missing name', 400, (w) => ({ url: '/v5/boards', as: w.alice, payload: { description: 'no name' } }), { code: 1 }),
  row('POST /boards', 'unknown privacy value', 400, (w) => ({ url: '/v5/boards', as: w.alice, payload: { name: 'x', privacy: 'FRIENDS' } }), { code: 1 }),
  row('POST /boards', 'unknown field', 400, (w) => ({ url: '/v5/boards', as: w.alice, payload: { name: 'x', colour: 'red' } }), { code: 1 }),
  noToken('POST /boards', createBody),
  missingScope('POST /boards', createBody, (w) => w.boardsReadOnly),
  row('POST /boards', 'SECRET board without boards:write_secret', 403, (w) => ({ url: '/v5/boards', as: w.noSecret, payload: { name: 'No secret', privacy: 'SECRET' } }), { code: 3 }),
  row('POST /boards', 'name already used by one of your boards', 409, (w) => ({ url: '/v5/boards', as: w.alice, payload: { name: w.main.name } }), { code: 4092 }),

  // GET /boards
  row('GET /boards', 'own and group boards', 200, boardsList, {
    check: (body, w) => expect(body.items.map((b) => b.id)).toEqual(expect.arrayContaining([w.main.id, w.third.id])),
  }),
  ...pages('GET /boards', boardsList),
  emptyList('GET /boards', 'empty list for a user with no boards', (w) => ({ url: '/v5/boards', as: w.erin })),
  row('GET /boards', 'privacy filter', 200, (w) => ({ url: '/v5/boards?privacy=SECRET', as: w.alice }), {
    check: (body) => {
      expect(body.items.length).toBeGreaterThan(0);
      for (const board of body.items) expect(board.privacy).toBe('SECRET');
    },
  }),
  badBookmark('GET /boards', boardsList),
  row('GET /boards', 'page_size above 250', 400, (w) => ({ url: '/v5/boards?page_size=251', as: w.alice }), { code: 1 }),
  row('GET /boards', 'unknown privacy filter', 400, (w) => ({ url: '/v5/boards?privacy=FRIENDS', as: w.alice }), { code: 1 }),
  noToken('GET /boards', boardsList),
  missingScope('GET /boards', boardsList, (w) => w.accountsReadOnly),

  // GET /boards/{board_id}
  row('GET /boards/{board_id}', 'a board', 200, getMain, {
    check: (body, w) => expect(body).toMatchObject({ id: w.main.id, name: w.main.name, pin_count: 3, collaborator_count: 3 }),
  }),
  noToken('GET /boards/{board_id}', getMain),
  missingScope('GET /boards/{board_id}', getMain, (w) => w.accountsReadOnly),
  row('GET /boards/{board_id}', 'unknown id', 404, (w) => ({ url: `/v5/boards/${MISSING_ID}`, as: w.alice }), { code: 40 }),
  row('GET /boards/{board_id}', 'malformed id', 404, (w) => ({ url: '/v5/boards/not-an-id', as: w.alice }), { code: 40 }),

  // PATCH /boards/{board_id}
  row('PATCH /boards/{board_id}', 'updates the description', 200, patchMain, {
    check: (body) => expect(body).toMatchObject({ description: 'patched by the contract suite', privacy: 'PUBLIC' }),
  }),
  row('PATCH /boards/{board_id}', 'a PROTECTED board answers without privacy (BoardWithUpdatePrivacy has no PROTECTED)', 200, async (w) => {
    const board = await createBoard(w.t, w.alice, { name: 'Contract protected patch', privacy: 'PROTECTED' });
    return { url: `/v5/boards/${board.id}`, as: w.alice, payload: { description: 'still protected' } };
  }, { check: (body) => expect(body).not.toHaveProperty('privacy') }),
  row('PATCH /boards/{board_id}', 'blank name', 400, (w) => ({ url: `/v5/boards/${w.main.id}`, as: w.alice, payload: { name: '' } }), { code: 1 }),
  row('PATCH /boards/{board_id}', 'unknown field', 400, (w) => ({ url: `/v5/boards/${w.main.id}`, as: w.alice, payload: { owner: 'bob' } }), { code: 1 }),
  noToken('PATCH /boards/{board_id}', patchMain),
  missingScope('PATCH /boards/{board_id}', patchMain, (w) => w.boardsReadOnly),
  row('PATCH /boards/{board_id}', 'a collaborator may not update the board', 403, (w) => ({ ...patchMain(w), as: w.carol }), { code: 29 }),
  row('PATCH /boards/{board_id}', 'unknown id', 404, (w) => ({ ...patchMain(w), url: `/v5/boards/${MISSING_ID}` }), { code: 40 }),
  row('PATCH /boards/{board_id}', 'name of another of your boards', 409, (w) => ({ ...patchMain(w), payload: { name: w.third.name } }), { code: 4092 }),

  // DELETE /boards/{board_id}
  row('DELETE /boards/{board_id}', 'deletes a board', 204, async (w) => {
    const board = await createBoard(w.t, w.alice, { name: 'Contract doomed' });
    w.memo.set('deleted board', board.id);
    return { url: `/v5/boards/${board.id}`, as: w.alice };
  }),
  row('DELETE /boards/{board_id}', 'a deleted board is gone', 404, (w) => ({ url: `/v5/boards/${w.memo.get('deleted board') ?? MISSING_ID}`, as: w.alice }), { code: 40 }),
  noToken('DELETE /boards/{board_id}', deleteMain),
  missingScope('DELETE /boards/{board_id}', deleteMain, (w) => w.boardsReadOnly),
  row('DELETE /boards/{board_id}', 'an editor may not delete the board', 403, (w) => ({ ...deleteMain(w), as: w.carol }), { code: 29 }),
  row('DELETE /boards/{board_id}', 'unknown id', 404, (w) => ({ url: `/v5/boards/${MISSING_ID}`, as: w.alice }), { code: 40 }),

  // GET /boards/{board_id}/sections
  row('GET /boards/{board_id}/sections', 'sections of a board', 200, sectionsOfMain, {
    check: (body, w) => expect(body.items.map((section) => section.id)).toEqual(expect.arrayContaining([w.sections.a.id, w.sections.b.id])),
  }),
  ...pages('GET /boards/{board_id}/sections', sectionsOfMain),
  emptyList('GET /boards/{board_id}/sections', 'a board without sections', (w) => ({ url: `/v5/boards/${w.third.id}/sections`, as: w.alice })),
  badBookmark('GET /boards/{board_id}/sections', sectionsOfMain),
  noToken('GET /boards/{board_id}/sections', sectionsOfMain),
  missingScope('GET /boards/{board_id}/sections', sectionsOfMain, (w) => w.accountsReadOnly),
  row('GET /boards/{board_id}/sections', 'unknown board', 404, (w) => ({ url: `/v5/boards/${MISSING_ID}/sections`, as: w.alice }), { code: 40 }),

  // POST /boards/{board_id}/sections
  row('POST /boards/{board_id}/sections', 'creates a section', 201, newSection, { check: (body) => expect(body.name).toBe('Made by a case') }),
  row('POST /boards/{board_id}/sections', 'an editor creates a section', 201, (w) => ({ ...newSection(w), as: w.carol, payload: { name: 'By the editor' } })),
  row('POST /boards/{board_id}/sections', 'missing name', 400, (w) => ({ ...newSection(w), payload: {} }), { code: 1 }),
  row('POST /boards/{board_id}/sections', 'blank name', 400, (w) => ({ ...newSection(w), payload: { name: '   ' } }), { code: 1 }),
  noToken('POST /boards/{board_id}/sections', newSection),
  missingScope('POST /boards/{board_id}/sections', newSection, (w) => w.boardsReadOnly),
  row('POST /boards/{board_id}/sections', 'a viewer collaborator may not add sections', 403, (w) => ({ ...newSection(w), as: w.bob, payload: { name: 'By bob' } }), { code: 29 }),
  row('POST /boards/{board_id}/sections', 'unknown board', 404, (w) => ({ ...newSection(w), url: `/v5/boards/${MISSING_ID}/sections` }), { code: 40 }),
  row('POST /boards/{board_id}/sections', 'name already used on the board', 409, (w) => ({ ...newSection(w), payload: { name: w.sections.a.name } }), { code: 409 }),

  // PATCH /boards/{board_id}/sections/{section_id}
  row('PATCH /boards/{board_id}/sections/{section_id}', 'renames a section', 200, renameC, {
    check: (body, w) => expect(body).toEqual({ id: w.sections.c.id, name: 'Section C renamed' }),
  }),
  row('PATCH /boards/{board_id}/sections/{section_id}', 'missing name', 400, (w) => ({ ...renameC(w), payload: {} }), { code: 1 }),
  noToken('PATCH /boards/{board_id}/sections/{section_id}', renameC),
  missingScope('PATCH /boards/{board_id}/sections/{section_id}', renameC, (w) => w.boardsReadOnly),
  row('PATCH /boards/{board_id}/sections/{section_id}', 'a viewer collaborator may not rename', 403, (w) => ({ ...renameC(w), as: w.bob }), { code: 29 }),
  row('PATCH /boards/{board_id}/sections/{section_id}', 'unknown section', 404, (w) => ({ ...renameC(w), url: `/v5/boards/${w.main.id}/sections/${MISSING_ID}` }), { code: 2031 }),
  row('PATCH /boards/{board_id}/sections/{section_id}', 'unknown board', 404, (w) => ({ ...renameC(w), url: `/v5/boards/${MISSING_ID}/sections/${w.sections.c.id}` }), { code: 40 }),
  row('PATCH /boards/{board_id}/sections/{section_id}', 'section of another board', 404, (w) => ({ ...renameC(w), url: `/v5/boards/${w.third.id}/sections/${w.sections.c.id}` }), { code: 2031 }),
  row('PATCH /boards/{board_id}/sections/{section_id}', 'name of another section of the board', 409, (w) => ({ ...renameC(w), payload: { name: w.sections.a.name } }), { code: 409 }),

  // DELETE /boards/{board_id}/sections/{section_id}
  row('DELETE /boards/{board_id}/sections/{section_id}', 'deletes a section', 204, async (w) => {
    const section = await createSection(w.t, w.alice, w.scratch.id, `Doomed ${Date.now()}`);
    return { url: `/v5/boards/${w.scratch.id}/sections/${section.id}`, as: w.alice };
  }),
  noToken('DELETE /boards/{board_id}/sections/{section_id}', sectionB),
  missingScope('DELETE /boards/{board_id}/sections/{section_id}', sectionB, (w) => w.boardsReadOnly),
  row('DELETE /boards/{board_id}/sections/{section_id}', 'a viewer collaborator may not delete', 403, (w) => ({ ...sectionB(w), as: w.bob }), { code: 29 }),
  row('DELETE /boards/{board_id}/sections/{section_id}', 'unknown section', 404, (w) => ({ url: `/v5/boards/${w.main.id}/sections/${MISSING_ID}`, as: w.alice }), { code: 2031 }),
  row('DELETE /boards/{board_id}/sections/{section_id}', 'unknown board', 404, (w) => ({ url: `/v5/boards/${MISSING_ID}/sections/${w.sections.b.id}`, as: w.alice }), { code: 40 }),
];
