// Finding 14 (REST): a NUL character (U+0000) in about 13 text inputs (search, usernames, board, pin
// and section fields, sign-in) answered 500, since PostgreSQL stores no NUL in text, and deeply
// nested experiment `attributes` overflowed the stack (500). Every REST input is now checked before
// validation and before any handler: 400, code 1, a message naming the field, nothing written, and
// counted in /metrics as the 400 it is. The sweep below is generated from the served OpenAPI
// document: every text slot (path parameter, query parameter, body field at any depth) of every
// operation, so a route added tomorrow is swept too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.js';
import { createBoard, createPin, createSection, imageSource } from '../support/fixtures.js';

type Obj = Record<string, unknown>;
const isObj = (value: unknown): value is Obj => typeof value === 'object' && value !== null && !Array.isArray(value);

interface Slot {
  method: string;
  path: string;
  where: 'path' | 'query' | 'body';
  /** Field names (and '0' for a list's item) from the top of the part. */
  field: string[];
  contentType: string;
}

const NUL_TEXT = 'a\u0000b';

/** Every place an OpenAPI operation takes text, as slots to put a NUL into. */
function textSlots(doc: Obj): Slot[] {
  const components = ((doc.components as Obj | undefined)?.schemas ?? {}) as Obj;
  const resolve = (schema: unknown): Obj => {
    let current = schema;
    for (let hops = 0; isObj(current) && typeof current.$ref === 'string' && hops < 10; hops++) {
      current = components[current.$ref.replace('#/components/schemas/', '')];
    }
    return isObj(current) ? current : {};
  };
  const takesText = (schema: Obj): boolean =>
    schema.type === 'string' ||
    (Array.isArray(schema.type) && schema.type.includes('string')) ||
    ['anyOf', 'oneOf'].some((key) => Array.isArray(schema[key]) && (schema[key] as unknown[]).some((part) => takesText(resolve(part))));
  const fieldsOf = (schema: Obj, prefix: string[], depth: number): string[][] => {
    if (depth > 4) return [];
    const found: string[][] = [];
    if (takesText(schema)) found.push(prefix);
    const variants = [schema, ...['anyOf', 'oneOf', 'allOf'].flatMap((key) => (Array.isArray(schema[key]) ? (schema[key] as unknown[]).map(resolve) : []))];
    for (const variant of variants) {
      if (isObj(variant.properties)) {
        for (const [name, sub] of Object.entries(variant.properties)) found.push(...fieldsOf(resolve(sub), [...prefix, name], depth + 1));
      }
      if (variant.type === 'array' && variant.items) found.push(...fieldsOf(resolve(variant.items), [...prefix, '0'], depth + 1));
    }
    const seen = new Set<string>();
    return found.filter((field) => !seen.has(field.join('.')) && seen.add(field.join('.')));
  };

  const slots: Slot[] = [];
  for (const [path, operations] of Object.entries(doc.paths as Obj)) {
    for (const [method, operation] of Object.entries(operations as Obj)) {
      if (!isObj(operation)) continue;
      for (const parameter of (operation.parameters ?? []) as Obj[]) {
        const where = parameter.in as string;
        if (where !== 'path' && where !== 'query') continue;
        const schema = resolve(parameter.schema);
        if (takesText(schema) || (schema.type === 'array' && takesText(resolve(schema.items)))) {
          slots.push({ method: method.toUpperCase(), path, where, field: [parameter.name as string], contentType: '' });
        }
      }
      const content = ((operation.requestBody as Obj | undefined)?.content ?? {}) as Obj;
      for (const [contentType, media] of Object.entries(content)) {
        for (const field of fieldsOf(resolve((media as Obj).schema), [], 0)) {
          if (field.length > 0) slots.push({ method: method.toUpperCase(), path, where: 'body', field, contentType });
        }
      }
    }
  }
  return slots;
}

/** { a: { b: [value] } } for the field ['a', 'b', '0']. */
function nest(field: string[], value: unknown): unknown {
  return field.reduceRight<unknown>((inner, name) => (name === '0' ? [inner] : { [name]: inner }), value);
}

describe('NUL characters and deep nesting in REST inputs', () => {
  let t: TestApp;
  let admin: TestUser;
  let board: string;
  let section: string;
  let pin: string;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signUpAdmin('nadia');
    board = (await createBoard(t, admin, { name: 'Kitchen' })).id;
    section = (await createSection(t, admin, board, 'Tiles')).id;
    pin = (await createPin(t, admin, board, { title: 'Blue tiles' })).id;
  });
  afterAll(async () => t?.close());

  /** What a refusal changes, if anything: every row count that a write could move. */
  async function state() {
    const db = t.container.db;
    const count = (table: 'users' | 'boards' | 'board_sections' | 'pins' | 'experiments') =>
      db.selectFrom(table).select(({ fn }) => fn.countAll<string>().as('n')).executeTakeFirstOrThrow().then((row) => Number(row.n));
    return { users: await count('users'), boards: await count('boards'), sections: await count('board_sections'), pins: await count('pins'), experiments: await count('experiments') };
  }

  async function serverErrorsCounted(): Promise<string[]> {
    const metrics = await t.request({ method: 'GET', url: '/metrics' });
    return metrics.body.split('\n').filter((line) => line.startsWith('http_requests_total') && /status="5\d\d"/.test(line));
  }

  it('refuses a NUL in every text slot of every operation of the OpenAPI document: 400, code 1, naming the field', async () => {
    const doc = (await t.request({ method: 'GET', url: '/v5/openapi.json' })).json<Obj>();
    const slots = textSlots(doc);
    // The sweep is only as good as what it finds: the document has a few dozen operations.
    expect(slots.length).toBeGreaterThan(100);
    expect(slots.filter((slot) => slot.where === 'body').length).toBeGreaterThan(40);
    const before = await state();
    const outcomes: string[] = [];
    for (const slot of slots) {
      const url = slot.path.replace(/\{(\w+)\}/g, (_whole, name: string) =>
        encodeURIComponent(slot.where === 'path' && slot.field[0] === name ? NUL_TEXT : name.endsWith('_id') ? '1' : 'nadia'),
      );
      const query = slot.where === 'query' ? `?${encodeURIComponent(slot.field[0]!)}=${encodeURIComponent(NUL_TEXT)}` : '';
      const form = slot.contentType === 'application/x-www-form-urlencoded';
      const value = nest(slot.field, NUL_TEXT);
      const reply = await t.request({
        method: slot.method,
        url: url + query,
        as: admin,
        ...(slot.where === 'body'
          ? form
            ? { headers: { 'content-type': slot.contentType }, payload: new URLSearchParams({ [slot.field[0]!]: NUL_TEXT }).toString() }
            : { payload: value as Obj }
          : {}),
      });
      const body = (reply.body.startsWith('{') ? JSON.parse(reply.body) : {}) as { code?: number; message?: string };
      const named = slot.where === 'body' ? slot.field.join('.') : slot.field[0]!;
      const ok = reply.statusCode === 400 && body.code === 1 && body.message?.includes('NUL (U+0000)') && body.message.includes(named);
      if (!ok) outcomes.push(`${slot.method} ${slot.path} ${slot.where} ${slot.field.join('.')}: ${reply.statusCode} ${reply.body.slice(0, 160)}`);
    }
    expect(outcomes).toEqual([]);
    expect(await state()).toEqual(before);
    expect(await serverErrorsCounted()).toEqual([]);
  });

  it('refuses the requests that answered 500, each otherwise valid, and writes nothing', async () => {
    const before = await state();
    const requests: Array<{ method: 'GET' | 'POST' | 'PATCH' | 'DELETE'; url: string; payload?: Obj | string; form?: boolean; as?: TestUser | null }> = [
      { method: 'GET', url: `/v5/search/pins?query=${encodeURIComponent('tiles\u0000')}` },
      { method: 'GET', url: `/v5/search/boards?query=${encodeURIComponent('\u0000')}` },
      { method: 'GET', url: `/v5/users/${encodeURIComponent('nad\u0000ia')}` },
      { method: 'GET', url: `/v5/users/${encodeURIComponent('nad\u0000ia')}/boards` },
      { method: 'POST', url: `/v5/user_account/following/${encodeURIComponent('x\u0000')}`, payload: {} },
      { method: 'POST', url: '/v5/boards', payload: { name: 'Bath\u0000room' } },
      { method: 'POST', url: '/v5/boards', payload: { name: 'Bathroom', description: '\u0000' } },
      { method: 'PATCH', url: `/v5/boards/${board}`, payload: { name: 'Kit\u0000chen' } },
      { method: 'POST', url: `/v5/boards/${board}/sections`, payload: { name: 'Grout\u0000' } },
      { method: 'PATCH', url: `/v5/boards/${board}/sections/${section}`, payload: { name: 'Grout\u0000' } },
      { method: 'POST', url: `/v5/boards/${board}/collaborators`, payload: { username: 'x\u0000', role: 'viewer' } },
      { method: 'POST', url: '/v5/pins', payload: { board_id: board, title: 'Tile\u0000', media_source: await imageSource() } },
      { method: 'PATCH', url: `/v5/pins/${pin}`, payload: { description: 'glazed\u0000' } },
      { method: 'POST', url: '/v5/accounts', payload: { username: 'new\u0000user', email: 'new@example.test', password: 'pw-new-user-1' }, as: null },
      { method: 'POST', url: '/v5/oauth/token', payload: 'grant_type=password&username=nadia%00&password=x', form: true, as: null },
      { method: 'POST', url: '/login', payload: 'username=nadia%00&password=x', form: true, as: null },
      { method: 'POST', url: '/v5/experiments/evaluate', payload: { attributes: { country: 'F\u0000R' } } },
      { method: 'POST', url: '/v5/experiments', payload: { key: 'tiles\u0000', name: 'Tiles' } },
    ];
    for (const request of requests) {
      const reply = await t.request({
        method: request.method,
        url: request.url,
        as: request.as === undefined ? admin : request.as,
        ...(request.form ? { headers: { 'content-type': 'application/x-www-form-urlencoded' } } : {}),
        ...(request.payload !== undefined ? { payload: request.payload } : {}),
      });
      expect({ request: `${request.method} ${request.url}`, status: reply.statusCode, code: reply.json<{ code: number }>().code }).toEqual({
        request: `${request.method} ${request.url}`,
        status: 400,
        code: 1,
      });
      expect(reply.json<{ message: string }>().message).toMatch(/^Invalid (body|query string|path): [\w.]+ may not contain NUL \(U\+0000\) characters\.$/);
    }
    expect(await state()).toEqual(before);
    expect(await serverErrorsCounted()).toEqual([]);
  });

  it('refuses experiment attributes nested deeper than 32 levels, and accepts a few levels', async () => {
    // JSON.stringify recurses; the hostile body is written by hand, 20,000 levels deep.
    const deep = `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`;
    for (const url of ['/v5/experiments/evaluate', '/v5/experiments/anything/activate']) {
      const reply = await t.request({ method: 'POST', url, as: admin, headers: { 'content-type': 'application/json' }, payload: `{"attributes":${deep}}` });
      expect({ url, status: reply.statusCode, body: reply.json<unknown>() }).toEqual({
        url,
        status: 400,
        body: { code: 1, message: `Invalid body: ${['attributes', ...Array<string>(32).fill('a')].join('.')} nests objects and lists more than 32 levels deep.` },
      });
    }
    const shallow = await t.request({ method: 'POST', url: '/v5/experiments/evaluate', as: admin, payload: { attributes: { country: 'FR', plan: { tier: 'pro' } } } });
    expect(shallow.statusCode, shallow.body).toBe(200);
    expect(await serverErrorsCounted()).toEqual([]);
  });
});
