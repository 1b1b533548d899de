import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../../test/support/test-app.js';
import { assertMatchesV5 } from '../../test/support/contract.js';
import type { PinBody } from './pin.schemas.js';
import {
  base64Source,
  counts,
  createPin,
  jpegImage,
  makeBoard,
  makeSection,
  pngImage,
  rowCount,
} from './pin-test-support.js';

describe('pins', () => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  let board: string;

  beforeAll(async () => {
    t = await createTestApp();
    alice = await t.signUp('alice');
    bob = await t.signUp('bob');
    board = await makeBoard(t, alice, 'Kitchen');
  });
  afterAll(async () => t.close());

  describe('POST /v5/pins', () => {
    it('creates a pin from a base64 PNG with every image size, the dominant colour, and counters', async () => {
      const before = await counts(t, board, alice);
      const image = await sharp({ create: { width: 1600, height: 900, channels: 3, background: '#c0392b' } }).png().toBuffer();
      const res = await t.request({
        method: 'POST',
        url: '/v5/pins',
        as: alice,
        payload: {
          board_id: board,
          title: 'Tomato soup',
          description: 'A warming bowl',
          link: 'https://example.com/soup',
          alt_text: 'A red bowl',
          media_source: base64Source(image),
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      const pin = res.json<PinBody>();
      assertMatchesV5('POST', '/pins', 201, pin);
      expect(pin).toMatchObject({
        title: 'Tomato soup',
        description: 'A warming bowl',
        link: 'https://example.com/soup',
        alt_text: 'A red bowl',
        board_id: board,
        board_section_id: null,
        board_owner: { username: 'alice' },
        parent_pin_id: null,
        is_owner: true,
        is_standard: true,
        has_been_promoted: false,
        creative_type: 'REGULAR',
        pin_metrics: null,
        media: { media_type: 'image' },
      });
      expect(pin.id).toMatch(/^\d+$/);
      expect(new Date(pin.created_at).getTime()).toBeGreaterThan(Date.now() - 60_000);
      // #c0392b, give or take the histogram bin the dominant colour is read from.
      const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(pin.dominant_color!.slice(i, i + 2), 16));
      expect(Math.abs(r! - 0xc0)).toBeLessThanOrEqual(16);
      expect(Math.abs(g! - 0x39)).toBeLessThanOrEqual(16);
      expect(Math.abs(b! - 0x2b)).toBeLessThanOrEqual(16);

      const images = pin.media.images;
      expect(images['150x150']).toMatchObject({ width: 150, height: 150 });
      expect(images['400x300']).toMatchObject({ width: 400, height: 300 });
      expect(images['600x']).toMatchObject({ width: 600, height: 338 });
      expect(images['1200x']).toMatchObject({ width: 1200, height: 675 });
      for (const [size, details] of Object.entries(images)) {
        expect(details.url).toBe(`${t.config.publicBaseUrl}/media/images/${details.url.split('/').at(-2)}/${size}.jpg`);
        const served = await t.request({ method: 'GET', url: new URL(details.url).pathname });
        expect(served.statusCode, size).toBe(200);
        expect(served.headers['content-type']).toBe('image/jpeg');
        expect(served.headers['cache-control']).toContain('immutable');
        const meta = await sharp(served.rawPayload).metadata();
        expect([meta.format, meta.width, meta.height], size).toEqual(['jpeg', details.width, details.height]);
      }

      const after = await counts(t, board, alice);
      expect(after).toEqual({
        boardPins: before.boardPins + 1,
        userPins: before.userPins + 1,
        userPublicPins: before.userPublicPins + 1,
      });
    });

    it('creates a pin from a JPEG, keeps a small image small, and serves the original', async () => {
      const res = await t.request({
        method: 'POST',
        url: '/v5/pins',
        as: alice,
        payload: { board_id: board, media_source: base64Source(await jpegImage(300, 500), 'image/jpeg') },
      });
      expect(res.statusCode, res.body).toBe(201);
      const pin = res.json<PinBody>();
      assertMatchesV5('POST', '/pins', 201, pin);
      expect(pin.title).toBeNull();
      expect(pin.media.images['600x']).toMatchObject({ width: 300, height: 500 });
      expect(pin.media.images['1200x']).toMatchObject({ width: 300, height: 500 });
      const capability = pin.media.images['600x'].url.split('/').at(-2);
      const original = await t.request({ method: 'GET', url: `/media/images/${capability}/originals.jpg` });
      expect(original.statusCode).toBe(200);
      expect(original.headers['content-type']).toBe('image/jpeg');
      expect((await sharp(original.rawPayload).metadata()).width).toBe(300);
    });

    it('answers 304 to a revalidation and 404 for unknown image files', async () => {
      const pin = await createPin(t, alice, board);
      const path = new URL(pin.media.images['150x150'].url).pathname;
      const first = await t.request({ method: 'GET', url: path });
      const etag = first.headers.etag as string;
      expect(etag).toBeTruthy();
      const again = await t.request({ method: 'GET', url: path, headers: { 'if-none-match': etag } });
      expect(again.statusCode).toBe(304);
      for (const url of [
        '/media/images/123/600x.jpg',
        `${path.replace('150x150.jpg', '')}999x.jpg`,
        `${path.replace('150x150.jpg', '')}originals.tiff`,
        '/media/images/abc/600x.jpg',
        `${path.replace('150x150.jpg', '')}..%2F..%2Fetc`,
      ]) {
        const res = await t.request({ method: 'GET', url });
        expect(res.statusCode, url).toBe(404);
        expect(res.json<{ code: number }>().code).toBe(4042);
      }
    });

    it('stores the same bytes of one owner once', async () => {
      const image = await pngImage(120, 80);
      const imagesBefore = await rowCount(t, 'images');
      const first = await createPin(t, alice, board, { media_source: base64Source(image) });
      const second = await createPin(t, alice, board, { media_source: base64Source(image) });
      expect(second.id).not.toBe(first.id);
      expect(second.media.images['600x'].url).toBe(first.media.images['600x'].url);
      expect(await rowCount(t, 'images')).toBe(imagesBefore + 1);
    });

    it('puts a pin in a section and counts it there', async () => {
      const section = await makeSection(t, alice, board, 'Soups');
      const pin = await createPin(t, alice, board, { board_section_id: section });
      expect(pin.board_section_id).toBe(section);
      const row = await t.container.db.selectFrom('board_sections').select('pin_count').where('id', '=', section).executeTakeFirstOrThrow();
      expect(row.pin_count).toBe(1);
    });

    it('refuses bad input with 400 and writes nothing', async () => {
      const image = base64Source(await pngImage(32, 32));
      const corrupt = { source_type: 'image_base64', content_type: 'image/png', data: Buffer.from('not an image at all').toString('base64') };
      const truncated = (await pngImage(200, 200)).subarray(0, 300);
      const cases: Array<[string, Record<string, unknown>, RegExp]> = [
        ['title too long', { title: 'x'.repeat(101), media_source: image }, /title/],
        ['description too long', { description: 'x'.repeat(801), media_source: image }, /description/],
        ['link too long', { link: `https://example.com/${'x'.repeat(2040)}`, media_source: image }, /link/],
        ['alt_text too long', { alt_text: 'x'.repeat(501), media_source: image }, /alt_text/],
        ['link not http', { link: 'javascript:alert(1)', media_source: image }, /link must be an http/],
        ['link not a URL', { link: 'not a url', media_source: image }, /link must be an http/],
        ['unknown field', { colour: 'red', media_source: image }, /unknown field "colour"/],
        ['no media', {}, /media_source is required/],
        ['video', { media_source: { source_type: 'video_id', cover_image_url: 'https://x.test/a.jpg', media_id: '1' } }, /"video_id" is not supported/],
        ['unknown source', { media_source: { source_type: 'carrier_pigeon' } }, /must be "image_base64" or "image_url"/],
        ['unknown media field', { media_source: { ...image, extra: 1 } }, /unknown field "extra" in media_source/],
        ['missing data', { media_source: { source_type: 'image_base64', content_type: 'image/png' } }, /data is required/],
        ['bad content type', { media_source: { ...image, content_type: 'image/tiff' } }, /content_type/],
        ['not base64', { media_source: { ...image, data: 'not base64!' } }, /base64/],
        ['corrupt image', { media_source: corrupt }, /not a recognisable image/],
        ['truncated image', { media_source: base64Source(truncated) }, /could not be decoded/],
        ['type mismatch', { media_source: { ...image, content_type: 'image/jpeg' } }, /does not match/],
        ['bad colour', { dominant_color: 'red', media_source: image }, /dominant_color/],
        ['bad board id', { board_id: 'abc', media_source: image }, /board_id/],
      ];
      const before = await counts(t, board, alice);
      const pinsBefore = await rowCount(t, 'pins');
      const imagesBefore = await rowCount(t, 'images');
      for (const [label, fields, message] of cases) {
        const res = await t.request({ method: 'POST', url: '/v5/pins', as: alice, payload: { board_id: board, ...fields } });
        expect(res.statusCode, `${label}: ${res.body}`).toBe(400);
        const body = res.json<{ code: number; message: string }>();
        assertMatchesV5('POST', '/pins', 400, body);
        expect(body.message, label).toMatch(message);
      }
      expect(await counts(t, board, alice)).toEqual(before);
      expect(await rowCount(t, 'pins')).toBe(pinsBefore);
      expect(await rowCount(t, 'images')).toBe(imagesBefore);
    });

    it('names the image problem with a stable code', async () => {
      const corrupt = { source_type: 'image_base64', content_type: 'image/png', data: Buffer.from('GIF89a-but-not-really').toString('base64') };
      const res = await t.request({ method: 'POST', url: '/v5/pins', as: alice, payload: { board_id: board, media_source: corrupt } });
      expect(res.statusCode).toBe(400);
      expect(res.json<{ code: number }>().code).toBe(4003);
    });

    it('refuses an image_url on a private address unless allow-listed, fetching and writing nothing', async () => {
      const pinsBefore = await rowCount(t, 'pins');
      const imagesBefore = await rowCount(t, 'images');
      const res = await t.request({
        method: 'POST',
        url: '/v5/pins',
        as: alice,
        payload: { board_id: board, media_source: { source_type: 'image_url', url: 'http://127.0.0.1:9/cat.png' } },
      });
      expect(res.statusCode).toBe(400);
      const body = res.json<{ code: number; message: string }>();
      assertMatchesV5('POST', '/pins', 400, body);
      expect(body.code).toBe(4004);
      expect(body.message).toMatch(/not a public address/);
      expect(await rowCount(t, 'pins')).toBe(pinsBefore);
      expect(await rowCount(t, 'images')).toBe(imagesBefore);
    });

    it('needs a board the viewer may pin to', async () => {
      const bobsBoard = await makeBoard(t, bob, 'Bob things');
      const secret = await makeBoard(t, bob, 'Bob secret', 'SECRET');
      const image = base64Source(await pngImage(16, 16));
      const other = await t.request({ method: 'POST', url: '/v5/pins', as: alice, payload: { board_id: bobsBoard, media_source: image } });
      expect(other.statusCode).toBe(403);
      assertMatchesV5('POST', '/pins', 403, other.json());
      const hidden = await t.request({ method: 'POST', url: '/v5/pins', as: alice, payload: { board_id: secret, media_source: image } });
      expect(hidden.statusCode).toBe(404);
      expect(hidden.json<{ code: number }>().code).toBe(40);
      const missing = await t.request({ method: 'POST', url: '/v5/pins', as: alice, payload: { board_id: '12345', media_source: image } });
      expect(missing.statusCode).toBe(404);
      const section = await t.request({
        method: 'POST',
        url: '/v5/pins',
        as: alice,
        payload: { board_id: board, board_section_id: '999', media_source: image },
      });
      expect(section.statusCode).toBe(404);
      expect(section.json<{ code: number }>().code).toBe(2031);
      const anonymous = await t.request({ method: 'POST', url: '/v5/pins', payload: { board_id: board, media_source: image } });
      expect(anonymous.statusCode).toBe(401);
      assertMatchesV5('POST', '/pins', 401, anonymous.json());
    });

    it('needs pins:write, and pins:write_secret for a secret board', async () => {
      const reader = await t.signUp('reader', 'boards:read,pins:read,boards:write');
      const readerBoard = await makeBoard(t, reader, 'Reader board');
      const image = base64Source(await pngImage(16, 16));
      const res = await t.request({ method: 'POST', url: '/v5/pins', as: reader, payload: { board_id: readerBoard, media_source: image } });
      expect(res.statusCode).toBe(403);
      expect(res.json<{ code: number }>().code).toBe(3);

      const carol = await t.signUp('carol', 'boards:read,boards:write,pins:read,pins:write,pins:read_secret,boards:read_secret');
      const carolSecret = await makeBoard(t, carol, 'Carol secret', 'SECRET');
      const noSecretWrite = await t.request({ method: 'POST', url: '/v5/pins', as: carol, payload: { board_id: carolSecret, media_source: image } });
      expect(noSecretWrite.statusCode).toBe(403);
      expect(await counts(t, carolSecret, carol)).toEqual({ boardPins: 0, userPins: 0, userPublicPins: 0 });
    });

    it('counts pins on a secret board in pin_count but not public_pin_count', async () => {
      const secret = await makeBoard(t, alice, 'Alice secret', 'SECRET');
      const before = await counts(t, board, alice);
      await createPin(t, alice, secret);
      const after = await counts(t, board, alice);
      expect(after.userPins).toBe(before.userPins + 1);
      expect(after.userPublicPins).toBe(before.userPublicPins);
    });

    it('replays a retried POST with the same Idempotency-Key and refuses the key for another body', async () => {
      const payload = { board_id: board, title: 'Once', media_source: base64Source(await pngImage(20, 20)) };
      const headers = { 'idempotency-key': 'pin-once-1' };
      const pinsBefore = await rowCount(t, 'pins');
      const first = await t.request({ method: 'POST', url: '/v5/pins', as: alice, headers, payload });
      const second = await t.request({ method: 'POST', url: '/v5/pins', as: alice, headers, payload });
      expect(first.statusCode).toBe(201);
      expect(second.statusCode).toBe(201);
      assertMatchesV5('POST', '/pins', 201, second.json());
      expect(second.headers['idempotent-replayed']).toBe('true');
      expect(second.json<PinBody>().id).toBe(first.json<PinBody>().id);
      expect(await rowCount(t, 'pins')).toBe(pinsBefore + 1);

      const other = await t.request({ method: 'POST', url: '/v5/pins', as: alice, headers, payload: { ...payload, title: 'Twice' } });
      expect(other.statusCode).toBe(422);
      assertMatchesV5('POST', '/pins', 422, other.json());
      expect(await rowCount(t, 'pins')).toBe(pinsBefore + 1);
    });
  });

  describe('GET, PATCH, DELETE /v5/pins/{pin_id}', () => {
    it('gets a pin, and answers 404 code 50 for malformed and unknown ids', async () => {
      const pin = await createPin(t, alice, board, { title: 'Fetched' });
      const res = await t.request({ method: 'GET', url: `/v5/pins/${pin.id}`, as: alice });
      expect(res.statusCode).toBe(200);
      assertMatchesV5('GET', '/pins/{pin_id}', 200, res.json());
      expect(res.json<PinBody>()).toEqual(pin);
      const asBob = await t.request({ method: 'GET', url: `/v5/pins/${pin.id}?pin_metrics=true`, as: bob });
      expect(asBob.json<PinBody>().is_owner).toBe(false);

      for (const id of ['123', 'abc', '1e5', '99999999999999999999999', '-1', '%20']) {
        for (const method of ['GET', 'PATCH', 'DELETE'] as const) {
          const miss = await t.request({ method, url: `/v5/pins/${id}`, as: alice, ...(method === 'PATCH' ? { payload: {} } : {}) });
          expect(miss.statusCode, `${method} ${id}`).toBe(404);
          expect(miss.json<{ code: number }>().code).toBe(50);
          assertMatchesV5(method, '/pins/{pin_id}', 404, miss.json());
        }
        const save = await t.request({ method: 'POST', url: `/v5/pins/${id}/save`, as: alice, payload: { board_id: board } });
        expect(save.statusCode).toBe(404);
        expect(save.json<{ code: number }>().code).toBe(50);
      }
    });

    it('updates text fields, clears with null, and validates like create', async () => {
      const pin = await createPin(t, alice, board, { title: 'Old', description: 'Old words', link: 'https://a.test/' });
      const res = await t.request({
        method: 'PATCH',
        url: `/v5/pins/${pin.id}`,
        as: alice,
        payload: { title: 'New', description: null, alt_text: 'Alt', link: 'http://b.test/x' },
      });
      expect(res.statusCode, res.body).toBe(200);
      assertMatchesV5('PATCH', '/pins/{pin_id}', 200, res.json());
      expect(res.json<PinBody>()).toMatchObject({ title: 'New', description: null, alt_text: 'Alt', link: 'http://b.test/x' });

      for (const payload of [{ title: 'x'.repeat(101) }, { link: 'ftp://x.test' }, { carousel_slots: [] }, { board_id: 'x' }]) {
        const bad = await t.request({ method: 'PATCH', url: `/v5/pins/${pin.id}`, as: alice, payload });
        expect(bad.statusCode, JSON.stringify(payload)).toBe(400);
        assertMatchesV5('PATCH', '/pins/{pin_id}', 400, bad.json());
      }
      const unchanged = await t.request({ method: 'GET', url: `/v5/pins/${pin.id}`, as: alice });
      expect(unchanged.json<PinBody>().title).toBe('New');
    });

    it('moves a pin between boards and sections, moving every counter', async () => {
      const from = await makeBoard(t, alice, 'Move from');
      const to = await makeBoard(t, alice, 'Move to', 'SECRET');
      const fromSection = await makeSection(t, alice, from, 'A');
      const toSection = await makeSection(t, alice, to, 'B');
      const pin = await createPin(t, alice, from, { board_section_id: fromSection });
      const before = await counts(t, from, alice);

      const moved = await t.request({
        method: 'PATCH',
        url: `/v5/pins/${pin.id}`,
        as: alice,
        payload: { board_id: to, board_section_id: toSection },
      });
      expect(moved.statusCode, moved.body).toBe(200);
      expect(moved.json<PinBody>()).toMatchObject({ board_id: to, board_section_id: toSection });
      const sections = await t.container.db.selectFrom('board_sections').select(['id', 'pin_count']).where('id', 'in', [fromSection, toSection]).execute();
      expect(Object.fromEntries(sections.map((s) => [s.id, s.pin_count]))).toEqual({ [fromSection]: 0, [toSection]: 1 });
      expect(await counts(t, from, alice)).toEqual({ ...before, boardPins: before.boardPins - 1, userPublicPins: before.userPublicPins - 1 });
      expect((await counts(t, to, alice)).boardPins).toBe(1);

      // Moving to another board without naming a section leaves the section behind.
      const back = await t.request({ method: 'PATCH', url: `/v5/pins/${pin.id}`, as: alice, payload: { board_id: from } });
      expect(back.json<PinBody>()).toMatchObject({ board_id: from, board_section_id: null });
      expect(await counts(t, from, alice)).toEqual(before);
      const wrongSection = await t.request({
        method: 'PATCH',
        url: `/v5/pins/${pin.id}`,
        as: alice,
        payload: { board_section_id: toSection },
      });
      expect(wrongSection.statusCode).toBe(404);
      expect(wrongSection.json<{ code: number }>().code).toBe(2031);
    });

    it('deletes a pin with its counters; a second delete is 404', async () => {
      const section = await makeSection(t, alice, board, 'To delete');
      const before = await counts(t, board, alice);
      const pin = await createPin(t, alice, board, { board_section_id: section });
      const res = await t.request({ method: 'DELETE', url: `/v5/pins/${pin.id}`, as: alice });
      expect(res.statusCode).toBe(204);
      expect(res.body).toBe('');
      assertMatchesV5('DELETE', '/pins/{pin_id}', 204, res.body);
      expect(await counts(t, board, alice)).toEqual(before);
      const sectionRow = await t.container.db.selectFrom('board_sections').select('pin_count').where('id', '=', section).executeTakeFirstOrThrow();
      expect(sectionRow.pin_count).toBe(0);
      const again = await t.request({ method: 'DELETE', url: `/v5/pins/${pin.id}`, as: alice });
      expect(again.statusCode).toBe(404);
      const gone = await t.request({ method: 'GET', url: `/v5/pins/${pin.id}`, as: alice });
      expect(gone.statusCode).toBe(404);
    });

    it('keeps counters exact under concurrent deletes of one pin', async () => {
      const pin = await createPin(t, alice, board);
      const before = await counts(t, board, alice);
      const results = await Promise.all(
        Array.from({ length: 5 }, () => t.request({ method: 'DELETE', url: `/v5/pins/${pin.id}`, as: alice })),
      );
      expect(results.map((r) => r.statusCode).sort()).toEqual([204, 404, 404, 404, 404]);
      expect(await counts(t, board, alice)).toEqual({
        boardPins: before.boardPins - 1,
        userPins: before.userPins - 1,
        userPublicPins: before.userPublicPins - 1,
      });
    });
  });
});
