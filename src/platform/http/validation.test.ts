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
});
