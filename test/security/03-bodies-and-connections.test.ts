// Finding 3 (bodies and connections): any GraphQL request, anonymous too, could send 28 MB (80 at once
// took the process from 1.2 to 2.65 GB), slow bodies were never timed out and connections were
// unbounded. Now, against a real server listening on loopback and spoken to over raw node:net
// sockets, with small limits so the test stays short:
// - a body announced larger than BODY_LIMIT_BYTES (or, for uploads, larger than what the caller's
//   token may send) is refused with 413 before it is read: the answer comes while almost all of it is
//   still unsent, and the connection closes; a chunked body is cut as soon as it passes the limit;
// - a request whose headers or body arrive too slowly is cut with 408 after HEADERS_TIMEOUT_MS or
//   REQUEST_TIMEOUT_MS; an over-long request line (a GraphQL GET) gets 431; idle keep-alive
//   connections close after KEEP_ALIVE_TIMEOUT_MS;
// - past MAX_CONNECTIONS new connections are closed at once, and served again once some close;
// - normal requests keep working throughout.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, timedFetch, type ServerProcess } from './support/server-process.js';

const LIMITS = {
  BODY_LIMIT_BYTES: String(64 * 1024),
  MAX_HEADER_BYTES: String(8 * 1024),
  HEADERS_TIMEOUT_MS: '1000',
  REQUEST_TIMEOUT_MS: '1500',
  KEEP_ALIVE_TIMEOUT_MS: '1500',
  MAX_CONNECTIONS: '6',
};
const REQUEST_TIMEOUT_MS = Number(LIMITS.REQUEST_TIMEOUT_MS);
const HEADERS_TIMEOUT_MS = Number(LIMITS.HEADERS_TIMEOUT_MS);
const KEEP_ALIVE_TIMEOUT_MS = Number(LIMITS.KEEP_ALIVE_TIMEOUT_MS);
const MAX_CONNECTIONS = Number(LIMITS.MAX_CONNECTIONS);
const DEADLINE_MS = 10_000;
/** A body of the report's size (27 MB), just under what an upload of the default IMAGE_MAX_BYTES (20 MiB) takes. */
const HUGE = 26 * 1024 * 1024;

interface RawAnswer {
  /** Everything the server sent, as text. */
  text: string;
  status: number | null;
  /** Bytes of the body written before the answer (or the close) came. */
  sent: number;
  /** The server closed the connection. */
  closed: boolean;
  ms: number;
}

let server: ServerProcess;
let port: number;
let token: string;

function connect(): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/**
 * Sends `head`, then the body in `chunk`-byte pieces (as chunked encoding when `chunked`) until
 * `total` bytes or until the server answers or closes; then waits up to `waitMs` for the answer.
 */
async function rawRequest(head: string, options: { total?: number; chunk?: number; chunked?: boolean; waitMs?: number } = {}): Promise<RawAnswer> {
  const { total = 0, chunk = 16 * 1024, chunked = false, waitMs = DEADLINE_MS } = options;
  const started = performance.now();
  const socket = await connect();
  let text = '';
  let closed = false;
  let answered = false;
  const done = new Promise<void>((resolve) => {
    socket.on('data', (data: Buffer) => {
      text += data.toString('latin1');
      answered = true;
    });
    socket.on('close', () => {
      closed = true;
      resolve();
    });
    socket.on('error', () => undefined);
  });
  socket.write(head);
  let sent = 0;
  const piece = Buffer.alloc(chunk, 'a');
  while (sent < total && !answered && !closed) {
    const size = Math.min(chunk, total - sent);
    const data = chunked ? Buffer.concat([Buffer.from(`${size.toString(16)}\r\n`), piece.subarray(0, size), Buffer.from('\r\n')]) : piece.subarray(0, size);
    const ok = await new Promise<boolean>((resolve) => socket.write(data, (error) => resolve(!error)));
    if (!ok) break;
    sent += size;
    // Let the server's answer in between pieces, as a real client would see it.
    await new Promise((resolve) => setImmediate(resolve));
  }
  await Promise.race([done, new Promise((resolve) => setTimeout(resolve, waitMs))]);
  socket.destroy();
  const status = /^HTTP\/1\.1 (\d{3})/.exec(text);
  return { text, status: status ? Number(status[1]) : null, sent, closed, ms: performance.now() - started };
}

function bodyOf(answer: RawAnswer): unknown {
  return JSON.parse(answer.text.slice(answer.text.indexOf('\r\n\r\n') + 4));
}

function post(path: string, length: number | 'chunked', extra = ''): string {
  const framing = length === 'chunked' ? 'transfer-encoding: chunked' : `content-length: ${length}`;
  return `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n${framing}\r\n${extra}\r\n`;
}

async function stillServing(): Promise<void> {
  const health = await timedFetch(`${server.baseUrl}/healthz`, DEADLINE_MS);
  expect(health.status).toBe(200);
  const graphql = await timedFetch(`${server.baseUrl}/graphql`, DEADLINE_MS, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
  expect(graphql.status, graphql.body).toBe(200);
  expect(JSON.parse(graphql.body)).toEqual({ data: { __typename: 'Query' } });
}

beforeAll(async () => {
  server = await startServer(LIMITS);
  port = Number(new URL(server.baseUrl).port);
  const json = { 'content-type': 'application/json' };
  await timedFetch(`${server.baseUrl}/v5/accounts`, DEADLINE_MS, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ username: 'uma', email: 'uma@example.test', password: 'pw-uma-secret' }),
  });
  const issued = await timedFetch(`${server.baseUrl}/v5/oauth/token`, DEADLINE_MS, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=password&username=uma&password=pw-uma-secret',
  });
  token = (JSON.parse(issued.body) as { access_token: string }).access_token;
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

describe('request bodies', () => {
  it('refuses an anonymous 27 MB GraphQL body with 413 before it is sent, and closes the connection', async () => {
    const answer = await rawRequest(post('/graphql', HUGE), { total: HUGE });
    expect(answer.status, answer.text.slice(0, 300)).toBe(413);
    expect(bodyOf(answer)).toMatchObject({ errors: [{ extensions: { code: 'PAYLOAD_TOO_LARGE', v5Code: 4130 } }] });
    expect(answer.closed).toBe(true);
    // Refused on the announced length: far less than the body was ever written (socket buffers aside).
    expect(answer.sent).toBeLessThan(HUGE / 4);
    await stillServing();
  });

  it('cuts a chunked body (no announced length) as soon as it passes the limit', async () => {
    const answer = await rawRequest(post('/graphql', 'chunked'), { total: HUGE, chunked: true });
    expect(answer.status, answer.text.slice(0, 300)).toBe(413);
    expect(bodyOf(answer)).toMatchObject({ errors: [{ extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
    expect(answer.closed).toBe(true);
    expect(answer.sent).toBeLessThan(HUGE / 4);
    await stillServing();
  });

  it('refuses REST bodies over BODY_LIMIT_BYTES with {code, message}, and an anonymous pin upload before reading it', async () => {
    for (const path of ['/v5/boards', '/v5/pins', '/v5/accounts']) {
      const answer = await rawRequest(post(path, HUGE), { total: HUGE });
      expect(answer.status, `${path}: ${answer.text.slice(0, 300)}`).toBe(413);
      expect(bodyOf(answer), path).toEqual({ code: 4130, message: 'Request body too large.' });
      expect(answer.closed, path).toBe(true);
      expect(answer.sent, path).toBeLessThan(HUGE / 4);
    }
    // Just over the limit, sent whole: still refused.
    const over = Number(LIMITS.BODY_LIMIT_BYTES) + 1;
    const answer = await rawRequest(post('/v5/boards', over, `authorization: Bearer ${token}\r\n`), { total: over });
    expect(answer.status).toBe(413);
    await stillServing();
  });

  it('lets a token allowed to make pins send an image-sized body, and nobody else', async () => {
    // 200 KB of variables: over BODY_LIMIT_BYTES (64 KiB), far under an upload of IMAGE_MAX_BYTES.
    const body = JSON.stringify({ query: '{ __typename }', extensions: { pad: 'x'.repeat(200_000) } });
    const send = (headers: Record<string, string>) =>
      timedFetch(`${server.baseUrl}/graphql`, DEADLINE_MS, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    expect((await send({})).status).toBe(413);
    const allowed = await send({ authorization: `Bearer ${token}` });
    expect(allowed.status, allowed.body).toBe(200);
    expect(JSON.parse(allowed.body)).toEqual({ data: { __typename: 'Query' } });
  });
});

describe('slow requests', () => {
  it('cuts a body that stops arriving with 408 after REQUEST_TIMEOUT_MS', async () => {
    // Headers and 10 of the 1,000 bytes announced, then nothing.
    const answer = await rawRequest(`${post('/v5/boards', 1000)}{"name":"`, { waitMs: REQUEST_TIMEOUT_MS + 5000 });
    expect(answer.status, answer.text).toBe(408);
    expect(bodyOf(answer)).toEqual({ code: 4080, message: 'The request did not arrive in time.' });
    expect(answer.closed).toBe(true);
    expect(answer.ms).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 100);
    expect(answer.ms).toBeLessThan(REQUEST_TIMEOUT_MS + 3000);
    await stillServing();
  });

  it('cuts headers that stop arriving with 408 after HEADERS_TIMEOUT_MS', async () => {
    const answer = await rawRequest('GET /healthz HTTP/1.1\r\nhost: 127.0.0.1\r\nx-slow: ', { waitMs: HEADERS_TIMEOUT_MS + 5000 });
    expect(answer.status, answer.text).toBe(408);
    expect(answer.closed).toBe(true);
    expect(answer.ms).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 100);
    expect(answer.ms).toBeLessThan(HEADERS_TIMEOUT_MS + 3000);
  });

  it('refuses a GraphQL GET whose query string is over MAX_HEADER_BYTES with 431', async () => {
    const query = encodeURIComponent(`{ ${'__typename '.repeat(1000)}}`);
    const answer = await rawRequest(`GET /graphql?query=${query} HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n`);
    expect(answer.status, answer.text.slice(0, 200)).toBe(431);
    expect(bodyOf(answer)).toEqual({ code: 4310, message: 'The request line and headers are too large.' });
    expect(answer.closed).toBe(true);
    await stillServing();
  });

  it('closes an idle keep-alive connection after KEEP_ALIVE_TIMEOUT_MS', async () => {
    const answer = await rawRequest('GET /healthz HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n', { waitMs: KEEP_ALIVE_TIMEOUT_MS + 5000 });
    expect(answer.status).toBe(200);
    expect(answer.closed).toBe(true);
    expect(answer.ms).toBeGreaterThanOrEqual(KEEP_ALIVE_TIMEOUT_MS - 100);
    expect(answer.ms).toBeLessThan(KEEP_ALIVE_TIMEOUT_MS + 3000);
  });
});

describe('connections', () => {
  it('closes connections past MAX_CONNECTIONS at once, and serves again once some close', async () => {
    // Connections of earlier tests (fetch keeps them alive) are closed by the keep-alive timeout.
    await new Promise((resolve) => setTimeout(resolve, KEEP_ALIVE_TIMEOUT_MS + 500));
    // Fill the cap with connections that each got an answer (so the server has surely accepted them).
    const held: net.Socket[] = [];
    for (let i = 0; i < MAX_CONNECTIONS; i += 1) {
      const socket = await connect();
      const answered = new Promise<string>((resolve) => socket.once('data', (data: Buffer) => resolve(data.toString('latin1'))));
      socket.write('GET /healthz HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n');
      expect(await answered).toMatch(/^HTTP\/1\.1 200/);
      held.push(socket);
    }
    try {
      const extra = await rawRequest('GET /healthz HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n', { waitMs: 3000 });
      expect(extra.text).toBe('');
      expect(extra.closed).toBe(true);
      expect(extra.ms).toBeLessThan(1000);
      await expect.poll(() => server.logs.some((line) => line.msg === 'connection cap reached: refusing new connections')).toBe(true);
    } finally {
      for (const socket of held) socket.destroy();
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    await stillServing();
  }, 30_000);
});
