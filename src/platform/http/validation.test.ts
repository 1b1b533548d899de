import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../../../test/support/test-app.js';

describe('request validation', () => {
  let t: TestApp;
  let ann: TestUser;
  beforeAll(async () => {
    t = await createTestApp();
    ann = await t.signUp('ann');
  });
  afterAll(async () => t.close());

  it('keeps a JSON null as null in a nullable string field', async () => {
    const created = await t.request({ method: 'POST', url: '/v5/boards', as: ann, payload: { name: 'Nulls', description: null } });
    expect(created.statusCode).toBe(201);
    expect(created.json<{ description: unknown }>().description).toBeNull();
    const row = await t.container.db.selectFrom('boards').select('description').where('name', '=', 'Nulls').executeTakeFirstOrThrow();
    expect(row.description).toBeNull();
  });

  it('does not coerce JSON body types: a number where a string is required is refused', async () => {
    const reply = await t.request({ method: 'POST', url: '/v5/boards', as: ann, payload: { name: 12345 } });
    expect(reply.statusCode).toBe(400);
    expect(reply.json<{ code: number }>().code).toBe(1);
  });

  it('still coerces query strings to their types', async () => {
    const reply = await t.request({ method: 'GET', url: '/v5/boards?page_size=1', as: ann });
    expect(reply.statusCode).toBe(200);
    expect(reply.json<{ items: unknown[] }>().items).toHaveLength(1);
    const bad = await t.request({ method: 'GET', url: '/v5/boards?page_size=abc', as: ann });
    expect(bad.statusCode).toBe(400);
  });

  it('answers paths the router refuses (a broken percent-escape, an over-long parameter) with {code, message}', async () => {
    for (const url of ['/v5/boards/%ff', '/v5/pins/%c0%ae/save', `/v5/boards/${'9'.repeat(101)}`, `/v5/users/${'x'.repeat(500)}`]) {
      const reply = await t.request({ method: 'GET', url, as: ann });
      const body = reply.json<{ code: number; message: string }>();
      expect({ url, status: reply.statusCode, code: body.code, message: body.message.startsWith('Invalid path: ') }).toEqual({ url, status: 400, code: 1, message: true });
    }
  });
});
