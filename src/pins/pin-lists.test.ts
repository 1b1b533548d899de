// Pin lists: a board's pins, a section's pins, and the viewer's own pins (GET /v5/pins), with
// bookmark pagination, privacy filters and a constant number of statements per page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../../test/support/test-app.js';
import { assertMatchesV5 } from '../../test/support/contract.js';
import { countStatements } from '../graphql/graphql-test-support.js';
import type { PinBody } from './pin.schemas.js';
import { createPin, makeBoard, makeSection } from './pin-test-support.js';

type PinList = { items: PinBody[]; bookmark: string | null };

describe('pin lists', () => {
  let t: TestApp;
  let alice: TestUser;
  let board: string;

  beforeAll(async () => {
    t = await createTestApp();
    alice = await t.signUp('alice');
    board = await makeBoard(t, alice, 'Kitchen');
  });
  afterAll(async () => t.close());

  describe('lists', () => {
    let listBoard: string;
    let listSection: string;
    let made: PinBody[];

    beforeAll(async () => {
      listBoard = await makeBoard(t, alice, 'Lists');
      listSection = await makeSection(t, alice, listBoard, 'Half');
      made = [];
      for (let i = 0; i < 7; i++) {
        made.push(await createPin(t, alice, listBoard, { title: `Pin ${i}`, ...(i % 2 === 0 ? { board_section_id: listSection } : {}) }));
      }
    });

    async function pageThrough(url: string, pageSize: number): Promise<string[]> {
      const ids: string[] = [];
      let bookmark: string | null = null;
      for (let guard = 0; guard < 20; guard++) {
        const res = await t.request({
          method: 'GET',
          url: `${url}${url.includes('?') ? '&' : '?'}page_size=${pageSize}${bookmark ? `&bookmark=${bookmark}` : ''}`,
          as: alice,
        });
        expect(res.statusCode, res.body).toBe(200);
        const body = res.json<PinList>();
        ids.push(...body.items.map((pin) => pin.id));
        bookmark = body.bookmark;
        if (!bookmark) break;
      }
      return ids;
    }

    it('pages through a board newest first', async () => {
      const res = await t.request({ method: 'GET', url: `/v5/boards/${listBoard}/pins?page_size=3`, as: alice });
      assertMatchesV5('GET', '/boards/{board_id}/pins', 200, res.json());
      const ids = await pageThrough(`/v5/boards/${listBoard}/pins`, 3);
      expect(ids).toEqual(made.map((pin) => pin.id).reverse());
    });

    it('pages through a section', async () => {
      const res = await t.request({ method: 'GET', url: `/v5/boards/${listBoard}/sections/${listSection}/pins`, as: alice });
      assertMatchesV5('GET', '/boards/{board_id}/sections/{section_id}/pins', 200, res.json());
      const ids = await pageThrough(`/v5/boards/${listBoard}/sections/${listSection}/pins`, 2);
      expect(ids).toEqual(made.filter((_, i) => i % 2 === 0).map((pin) => pin.id).reverse());
      const missing = await t.request({ method: 'GET', url: `/v5/boards/${listBoard}/sections/123/pins`, as: alice });
      expect(missing.statusCode).toBe(404);
      assertMatchesV5('GET', '/boards/{board_id}/sections/{section_id}/pins', 404, missing.json());
    });

    it('loads a page in a constant number of statements', async () => {
      const statementsFor = async (pageSize: number) => {
        const { count } = await countStatements(t, async () => {
          const res = await t.request({ method: 'GET', url: `/v5/boards/${listBoard}/pins?page_size=${pageSize}`, as: alice });
          expect(res.json<PinList>().items.length).toBe(Math.min(pageSize, made.length));
        });
        return count;
      };
      const small = await statementsFor(1);
      const large = await statementsFor(7);
      expect(large).toBe(small);
      expect(large).toBeLessThanOrEqual(4);
    });

    it('lists the viewer’s own pins with protected and secret ones by the rules', async () => {
      const dana = await t.signUp('dana');
      const pub = await makeBoard(t, dana, 'Dana public');
      const prot = await makeBoard(t, dana, 'Dana protected', 'PROTECTED');
      const secret = await makeBoard(t, dana, 'Dana secret', 'SECRET');
      const onPublic = await createPin(t, dana, pub);
      const onProtected = await createPin(t, dana, prot);
      const onSecret = await createPin(t, dana, secret);
      // Someone else's pin on Dana's board is not Dana's pin.
      await createPin(t, alice, board);

      const list = async (as: TestUser | string, query = '') => {
        const res = await t.request({ method: 'GET', url: `/v5/pins${query}`, as });
        expect(res.statusCode, res.body).toBe(200);
        assertMatchesV5('GET', '/pins', 200, res.json());
        return res.json<PinList>().items.map((pin) => pin.id);
      };
      expect(await list(dana)).toEqual([onSecret.id, onPublic.id]);
      expect(await list(dana, '?include_protected_pins=true')).toEqual([onSecret.id, onProtected.id, onPublic.id]);
      expect(await list(dana, '?pin_type=PRIVATE&include_protected_pins=true')).toEqual([onSecret.id, onProtected.id]);
      expect(await list(dana, '?pin_filter=exclude_native')).toEqual([]);
      expect(await list(dana, '?pin_filter=exclude_repins')).toEqual([onSecret.id, onPublic.id]);
      expect(await list(dana, '?creative_types=VIDEO')).toEqual([]);
      expect(await list(dana, '?creative_types=REGULAR&creative_types=VIDEO')).toEqual([onSecret.id, onPublic.id]);

      // A token without pins:read_secret does not see pins on secret boards.
      const form = new URLSearchParams({ grant_type: 'password', username: 'dana', password: 'pw-dana-secret', scope: 'boards:read,pins:read' });
      const tokenRes = await t.request({
        method: 'POST',
        url: '/v5/oauth/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: form.toString(),
      });
      const limited = tokenRes.json<{ access_token: string }>().access_token;
      expect(await list(limited, '?include_protected_pins=true')).toEqual([onProtected.id, onPublic.id]);
      const secretGet = await t.request({ method: 'GET', url: `/v5/pins/${onSecret.id}`, as: limited });
      expect(secretGet.statusCode).toBe(404);
    });

    it('refuses a malformed bookmark with 400', async () => {
      const forged = Buffer.from(JSON.stringify(['v1', "1' OR 1=1"])).toString('base64url');
      for (const url of [
        `/v5/boards/${listBoard}/pins?bookmark=garbage`,
        `/v5/boards/${listBoard}/pins?bookmark=${forged}`,
        `/v5/boards/${listBoard}/sections/${listSection}/pins?bookmark=garbage`,
        `/v5/pins?bookmark=${forged}`,
      ]) {
        const res = await t.request({ method: 'GET', url, as: alice });
        expect(res.statusCode, url).toBe(400);
        expect(res.json<{ code: number }>().code).toBe(4001);
      }
      const sizeTooBig = await t.request({ method: 'GET', url: `/v5/pins?page_size=251`, as: alice });
      expect(sizeTooBig.statusCode).toBe(400);
      assertMatchesV5('GET', '/pins', 400, sizeTooBig.json());
    });
  });
});
