// Finding 15: an over-long or wrongly typed `description`, `title` or `alt_text` answered
// "description must be null." (the first branch of a `string | null` schema), and a body sent in a
// type the route does not read was parsed anyway and judged as JSON (`curl -d '{"name":"x"}'` sends a
// form and was told `missing field "name"`). Each answer now names the real reason: the limit broken,
// the types allowed, or the body type the route reads (415, code 4150). Nothing is written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.js';
import { createBoard, createPin } from '../support/fixtures.js';
import { gql } from '../../src/graphql/graphql-test-support.js';
import { toGlobalId } from '../../src/graphql/relay.js';

let t: TestApp;
let ann: TestUser;
let board: string;
let pin: string;

beforeAll(async () => {
  t = await createTestApp();
  ann = await t.signUp('ann');
  board = (await createBoard(t, ann, { name: 'Shelves' })).id;
  pin = (await createPin(t, ann, board, { title: 'Oak shelf' })).id;
});
afterAll(async () => t?.close());

async function state() {
  const db = t.container.db;
  return {
    boards: await db.selectFrom('boards').select(['id', 'name', 'description']).orderBy('id').execute(),
    pins: await db.selectFrom('pins').select(['id', 'title', 'description', 'alt_text']).orderBy('id').execute(),
  };
}

const answer = (reply: { statusCode: number; json<T>(): T }) => ({ status: reply.statusCode, ...reply.json<{ code: number; message: string }>() });

describe('validation errors say the real reason', () => {
  it('names the broken limit or the allowed types of nullable text fields, in REST', async () => {
    const before = await state();
    const cases: Array<[string, 'POST' | 'PATCH', string, Record<string, unknown>, string]> = [
      ['board description too long', 'POST', '/v5/boards', { name: 'Desks', description: 'x'.repeat(501) }, 'Invalid body: description must be at most 500 characters.'],
      ['board description a number', 'POST', '/v5/boards', { name: 'Desks', description: 7 }, 'Invalid body: description must be a string or null.'],
      ['board description edited too long', 'PATCH', `/v5/boards/${board}`, { description: 'x'.repeat(501) }, 'Invalid body: description must be at most 500 characters.'],
      ['board privacy unknown', 'POST', '/v5/boards', { name: 'Desks', privacy: 'HIDDEN' }, 'Invalid body: privacy must be one of "PUBLIC", "PROTECTED" or "SECRET".'],
      ['pin title too long', 'PATCH', `/v5/pins/${pin}`, { title: 'x'.repeat(101) }, 'Invalid body: title must be at most 100 characters.'],
      ['pin title a boolean', 'PATCH', `/v5/pins/${pin}`, { title: true }, 'Invalid body: title must be a string or null.'],
      ['pin description too long', 'PATCH', `/v5/pins/${pin}`, { description: 'x'.repeat(801) }, 'Invalid body: description must be at most 800 characters.'],
      ['pin alt_text too long', 'PATCH', `/v5/pins/${pin}`, { alt_text: 'x'.repeat(501) }, 'Invalid body: alt_text must be at most 500 characters.'],
      ['pin alt_text a list', 'PATCH', `/v5/pins/${pin}`, { alt_text: ['a'] }, 'Invalid body: alt_text must be a string or null.'],
      ['new pin title too long', 'POST', '/v5/pins', { board_id: board, title: 'x'.repeat(101), media_source: { source_type: 'image_url', url: 'https://example.test/a.png' } }, 'Invalid body: title must be at most 100 characters.'],
    ];
    for (const [label, method, url, payload, message] of cases) {
      const reply = await t.request({ method, url, as: ann, payload });
      expect({ label, ...answer(reply) }).toEqual({ label, status: 400, code: 1, message });
    }
    const pageSize = await t.request({ method: 'GET', url: '/v5/boards?page_size=1000', as: ann });
    expect(answer(pageSize)).toEqual({ status: 400, code: 1, message: 'Invalid querystring: page_size must be at most 250.' });
    expect(await state()).toEqual(before);
  });

  it('says the same in GraphQL, which checks against the same schemas', async () => {
    const before = await state();
    const created = await gql(t, ann, 'mutation B($d: String) { createBoard(input: {name: "Desks", description: $d}) { id } }', { d: 'x'.repeat(501) });
    expect(created.errors.map((error) => [error.extensions.code, error.message])).toEqual([
      ['INVALID_PARAMETERS', 'Invalid input: description must be at most 500 characters.'],
    ]);
    const updated = await gql(t, ann, 'mutation P($id: ID!, $a: String) { updatePin(id: $id, input: {altText: $a}) { id } }', {
      id: toGlobalId('Pin', pin),
      a: 'x'.repeat(501),
    });
    expect(updated.errors.map((error) => [error.extensions.code, error.message])).toEqual([
      ['INVALID_PARAMETERS', 'Invalid input: alt_text must be at most 500 characters.'],
    ]);
    expect(await state()).toEqual(before);
  });

  it('answers 415 naming the body type for a body the route does not read, and says when there is no body', async () => {
    const before = await state();
    const json = JSON.stringify({ name: 'Desks' });
    // What `curl -d` sends: a form whose one key is the JSON text.
    const asForm = await t.request({ method: 'POST', url: '/v5/boards', as: ann, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: json });
    expect(answer(asForm)).toEqual({
      status: 415,
      code: 4150,
      message: 'This route reads application/json bodies; the request sent application/x-www-form-urlencoded.',
    });
    const asText = await t.request({ method: 'POST', url: '/v5/boards', as: ann, headers: { 'content-type': 'text/plain;charset=UTF-8' }, payload: json });
    expect(answer(asText)).toEqual({ status: 415, code: 4150, message: 'This route reads application/json bodies; the request sent text/plain.' });
    const untyped = await t.request({ method: 'POST', url: '/v5/boards', as: ann, payload: Buffer.from(json) });
    expect(untyped.headers['content-type']).toMatch(/^application\/json/);
    expect(answer(untyped)).toEqual({ status: 415, code: 4150, message: 'Send the body as application/json; the request sent no Content-Type.' });
    const xml = await t.request({ method: 'POST', url: '/v5/boards', as: ann, headers: { 'content-type': 'application/xml' }, payload: '<board/>' });
    expect(answer(xml)).toEqual({ status: 415, code: 4150, message: 'Send the body as application/json; the request sent application/xml.' });
    const empty = await t.request({ method: 'POST', url: '/v5/boards', as: ann });
    expect(answer(empty)).toEqual({ status: 400, code: 1, message: 'Invalid body: the request has no body; send a JSON object (Content-Type: application/json).' });
    expect(await state()).toEqual(before);

    // Routes that read forms still do; JSON is read everywhere.
    const token = await t.request({
      method: 'POST',
      url: '/v5/oauth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'grant_type=password&username=ann&password=wrong',
    });
    expect(answer(token)).toMatchObject({ status: 400, code: 4006 });
    const jsonToken = await t.request({ method: 'POST', url: '/v5/oauth/token', payload: { grant_type: 'password', username: 'ann', password: 'wrong' } });
    expect(answer(jsonToken)).toMatchObject({ status: 400, code: 4006 });
  });
});
