// Pins from image URLs (a local server the operator allow-listed) and images over the configured
// limits. This app allow-lists 127.0.0.1 and lowers the limits so the cases stay small.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../../test/support/test-app.js';
import { assertMatchesV5 } from '../../test/support/contract.js';
import type { PinBody } from './pin.schemas.js';
import { base64Source, counts, makeBoard, rowCount } from './pin-test-support.js';

const MAX_BYTES = 200_000;
const MAX_PIXELS = 4_000_000;

async function noisePng(width: number, height: number): Promise<Buffer> {
  return sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } }).png({ compressionLevel: 0 }).toBuffer();
}

describe('pin images from URLs and over the limits', () => {
  let t: TestApp;
  let alice: TestUser;
  let board: string;
  let server: http.Server;
  let base: string;
  let fetched: string[];
  const files: Record<string, { type: string; body: Buffer }> = {};

  beforeAll(async () => {
    files['/cat.png'] = { type: 'image/png', body: await sharp({ create: { width: 900, height: 1200, channels: 3, background: '#3b7d4f' } }).png().toBuffer() };
    files['/labelled-as-text'] = { type: 'text/plain', body: await sharp({ create: { width: 50, height: 50, channels: 3, background: '#101010' } }).jpeg().toBuffer() };
    files['/big.png'] = { type: 'image/png', body: await noisePng(300, 300) };
    files['/page.html'] = { type: 'text/html', body: Buffer.from('<html><body>Not an image</body></html>') };
    server = http.createServer((req, res) => {
      fetched.push(req.url ?? '');
      const file = files[req.url ?? ''];
      if (!file) return void res.writeHead(404).end('missing');
      res.writeHead(200, { 'content-type': file.type }).end(file.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    fetched = [];

    t = await createTestApp({
      IMAGE_FETCH_ALLOW_HOSTS: '127.0.0.1',
      IMAGE_MAX_BYTES: String(MAX_BYTES),
      IMAGE_MAX_PIXELS: String(MAX_PIXELS),
    });
    alice = await t.signUp('alice');
    board = await makeBoard(t, alice, 'From the web');
  });
  afterAll(async () => {
    await t.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const post = (payload: Record<string, unknown>) =>
    t.request({ method: 'POST', url: '/v5/pins', as: alice, payload: { board_id: board, ...payload } });
  const fromUrl = (url: string) => ({ media_source: { source_type: 'image_url', url } });

  it('fetches an allow-listed image_url and serves it in every size', async () => {
    const res = await post({ title: 'Fern', ...fromUrl(`${base}/cat.png`) });
    expect(res.statusCode, res.body).toBe(201);
    const pin = res.json<PinBody>();
    assertMatchesV5('POST', '/pins', 201, pin);
    expect(fetched).toContain('/cat.png');
    expect(pin.media.images['600x']).toMatchObject({ width: 600, height: 800 });
    expect(pin.media.images['1200x']).toMatchObject({ width: 900, height: 1200 });
    const served = await t.request({ method: 'GET', url: new URL(pin.media.images['600x'].url).pathname });
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toBe('image/jpeg');
    const meta = await sharp(served.rawPayload).metadata();
    expect([meta.width, meta.height]).toEqual([600, 800]);
  });

  it('trusts the bytes over a non-image content type', async () => {
    const res = await post(fromUrl(`${base}/labelled-as-text`));
    expect(res.statusCode, res.body).toBe(201);
  });

  it('refuses what cannot become a pin, with the right code, writing nothing', async () => {
    const oversized = await noisePng(270, 260);
    expect(oversized.length).toBeGreaterThan(MAX_BYTES);
    const bomb = await sharp({ create: { width: 2500, height: 2000, channels: 3, background: '#eeeeee' } }).png().toBuffer();
    const cases: Array<[string, Record<string, unknown>, number, number, RegExp]> = [
      ['oversized upload', { media_source: base64Source(oversized) }, 400, 4003, /limit is 200000/],
      ['too many pixels', { media_source: base64Source(bomb) }, 400, 4003, /pixels/],
      ['oversized download', fromUrl(`${base}/big.png`), 400, 4003, /limit/],
      ['missing download', fromUrl(`${base}/nothing-here.png`), 400, 4005, /HTTP 404/],
      ['html download', fromUrl(`${base}/page.html`), 400, 4003, /not a recognisable image/],
      ['not http', fromUrl('file:///etc/passwd'), 400, 4004, /only http and https/],
      ['not a url', fromUrl('definitely not a url'), 400, 1, /not a valid URL/],
      ['credentials', fromUrl(`http://user:pw@127.0.0.1:1/x.png`), 400, 4004, /credentials/],
    ];
    const before = await counts(t, board, alice);
    const pinsBefore = await rowCount(t, 'pins');
    const imagesBefore = await rowCount(t, 'images');
    for (const [label, payload, status, code, message] of cases) {
      const res = await post(payload);
      expect(res.statusCode, `${label}: ${res.body}`).toBe(status);
      const body = res.json<{ code: number; message: string }>();
      assertMatchesV5('POST', '/pins', status, body);
      expect(body.code, label).toBe(code);
      expect(body.message, label).toMatch(message);
    }
    expect(await counts(t, board, alice)).toEqual(before);
    expect(await rowCount(t, 'pins')).toBe(pinsBefore);
    expect(await rowCount(t, 'images')).toBe(imagesBefore);
  });

  it('answers 413 to a body far beyond any allowed image', async () => {
    const res = await post({ media_source: base64Source(randomBytes(MAX_BYTES * 2)) });
    expect(res.statusCode).toBe(413);
    expect(res.json<{ code: number }>().code).toBe(4130);
  });

  it('stores concurrent uploads of the same new bytes once, and every upload succeeds', async () => {
    const image = await sharp({ create: { width: 333, height: 222, channels: 3, background: '#aa33cc' } }).png().toBuffer();
    const imagesBefore = await rowCount(t, 'images');
    const results = await Promise.all(Array.from({ length: 6 }, () => post({ media_source: base64Source(image) })));
    expect(results.map((res) => res.statusCode)).toEqual([201, 201, 201, 201, 201, 201]);
    const urls = new Set(results.map((res) => res.json<PinBody>().media.images['600x'].url));
    expect(urls.size).toBe(1);
    expect(await rowCount(t, 'images')).toBe(imagesBefore + 1);
    const served = await t.request({ method: 'GET', url: new URL([...urls][0]!).pathname });
    expect(served.statusCode).toBe(200);
  });
});
