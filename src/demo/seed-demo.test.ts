import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/test-app.js';
import { assertMatchesV5 } from '../../test/support/contract.js';
import { DEMO_PASSWORD, DEMO_USERNAME } from './demo-content.js';
import { seedDemoIfEmpty } from './seed-demo.js';

interface LogLine {
  msg: string;
  curl?: string;
}

describe('demo data', () => {
  let t: TestApp;
  const lines: LogLine[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });

  beforeAll(async () => {
    t = await createTestApp();
    await seedDemoIfEmpty(t.container, logger);
  }, 120_000);
  afterAll(async () => t.close());

  it('fills an empty store with people, boards, sections and a few hundred pins', async () => {
    const count = async (table: 'users' | 'boards' | 'board_sections' | 'pins' | 'images' | 'user_follows' | 'board_collaborators') => {
      const row = await t.container.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
      return Number(row.n);
    };
    expect(await count('users')).toBeGreaterThanOrEqual(5);
    expect(await count('boards')).toBeGreaterThanOrEqual(10);
    expect(await count('board_sections')).toBeGreaterThanOrEqual(4);
    expect(await count('pins')).toBeGreaterThanOrEqual(200);
    expect(await count('images')).toBeGreaterThanOrEqual(30);
    expect(await count('user_follows')).toBeGreaterThanOrEqual(5);
    expect(await count('board_collaborators')).toBeGreaterThanOrEqual(1);
    const saves = await t.container.db
      .selectFrom('pins')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('parent_pin_id', 'is not', null)
      .executeTakeFirstOrThrow();
    expect(Number(saves.n)).toBeGreaterThanOrEqual(20);
    const secret = await t.container.db.selectFrom('boards').select('id').where('privacy', '=', 'SECRET').execute();
    expect(secret.length).toBeGreaterThanOrEqual(1);
  });

  it('leaves every counter equal to what it counts', async () => {
    const { db } = t.container;
    const boards = await db
      .selectFrom('boards')
      .select(['boards.id', 'boards.pin_count', (eb) => eb.selectFrom('pins').select((p) => p.fn.countAll<string>().as('n')).whereRef('pins.board_id', '=', 'boards.id').as('actual')])
      .execute();
    for (const board of boards) expect(board.pin_count, board.id).toBe(Number(board.actual));
    const sections = await db
      .selectFrom('board_sections')
      .select(['board_sections.id', 'board_sections.pin_count', (eb) => eb.selectFrom('pins').select((p) => p.fn.countAll<string>().as('n')).whereRef('pins.board_section_id', '=', 'board_sections.id').as('actual')])
      .execute();
    for (const section of sections) expect(section.pin_count, section.id).toBe(Number(section.actual));
    const users = await db.selectFrom('users').selectAll().execute();
    for (const user of users) {
      const pins = await db
        .selectFrom('pins')
        .innerJoin('boards', 'boards.id', 'pins.board_id')
        .select(['boards.privacy'])
        .where('pins.owner_id', '=', user.id)
        .execute();
      expect(user.pin_count, user.username).toBe(pins.length);
      expect(user.public_pin_count, user.username).toBe(pins.filter((pin) => pin.privacy === 'PUBLIC').length);
      const following = await db.selectFrom('user_follows').select('followee_id').where('follower_id', '=', user.id).execute();
      const followers = await db.selectFrom('user_follows').select('follower_id').where('followee_id', '=', user.id).execute();
      expect([user.following_count, user.follower_count], user.username).toEqual([following.length, followers.length]);
    }
    const saved = await db
      .selectFrom('pins')
      .select(['pins.id', 'pins.save_count', (eb) => eb.selectFrom('pins as child').select((c) => c.fn.countAll<string>().as('n')).whereRef('child.parent_pin_id', '=', 'pins.id').as('actual')])
      .execute();
    for (const pin of saved) expect(pin.save_count, pin.id).toBe(Number(pin.actual));
  });

  it('says how to get a token, and the password it names works', async () => {
    const howTo = lines.find((line) => line.curl);
    expect(howTo?.msg).toContain(DEMO_PASSWORD);
    expect(howTo?.msg).toContain('npm run -s cli -- token demo');
    expect(howTo?.curl).toContain('/v5/oauth/token');
    const res = await t.request({
      method: 'POST',
      url: '/v5/oauth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ grant_type: 'password', username: DEMO_USERNAME, password: DEMO_PASSWORD }).toString(),
    });
    expect(res.statusCode).toBe(200);
    const token = res.json<{ access_token: string }>().access_token;
    const pins = await t.request({ method: 'GET', url: '/v5/pins?page_size=50', as: token });
    expect(pins.statusCode).toBe(200);
    assertMatchesV5('GET', '/pins', 200, pins.json());
    expect(pins.json<{ items: unknown[] }>().items.length).toBeGreaterThan(20);
  });

  it('does nothing on a store that already has accounts', async () => {
    const before = await t.container.db.selectFrom('pins').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    await seedDemoIfEmpty(t.container, logger);
    const after = await t.container.db.selectFrom('pins').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
    expect(lines.at(-1)?.msg).toMatch(/already has accounts/);
  });
});
