// Connections per client address: MAX_CONNECTIONS bounds the whole process, so one client could hold
// every connection and lock everyone else out. Past MAX_CONNECTIONS_PER_ADDRESS open connections from
// one address, its new connections are closed as soon as they are accepted, while other addresses are
// served; connections from a proxy TRUST_PROXY trusts (each carries many clients) are not counted.
// Against a real server on loopback, over raw node:net sockets from several loopback addresses
// (127.0.0.0/8 is all loopback on Linux).
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type ServerProcess } from './support/server-process.js';

const PER_ADDRESS = 3;
const PROXY = '127.0.0.4';

let server: ServerProcess;
let port: number;
const opened: net.Socket[] = [];

beforeAll(async () => {
  server = await startServer({ MAX_CONNECTIONS_PER_ADDRESS: String(PER_ADDRESS), MAX_CONNECTIONS: '100', TRUST_PROXY: PROXY, KEEP_ALIVE_TIMEOUT_MS: '20000' });
  port = Number(new URL(server.baseUrl).port);
}, 120_000);
afterAll(async () => {
  for (const socket of opened) socket.destroy();
  await server?.stop();
});

interface Outcome {
  socket: net.Socket;
  /** What the server sent within the wait (an answer to GET /healthz, or nothing). */
  text: string;
  closed: boolean;
  ms: number;
}

/** Opens a connection from `from`, asks for /healthz on it and waits for an answer or a close. */
async function healthFrom(from: string, waitMs = 3000): Promise<Outcome> {
  const started = performance.now();
  const socket = await new Promise<net.Socket>((resolve, reject) => {
    const connecting = net.connect({ host: '127.0.0.1', port, localAddress: from }, () => resolve(connecting));
    connecting.once('error', reject);
  });
  opened.push(socket);
  socket.on('error', () => undefined);
  let text = '';
  let closed = false;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, waitMs);
    socket.on('data', (data: Buffer) => {
      text += data.toString('latin1');
      if (text.includes('\r\n\r\n')) {
        clearTimeout(timer);
        resolve();
      }
    });
    socket.on('close', () => {
      closed = true;
      clearTimeout(timer);
      resolve();
    });
    socket.write('GET /healthz HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n');
  });
  return { socket, text, closed, ms: performance.now() - started };
}

describe('connections per client address', () => {
  it('closes one address\'s connections past MAX_CONNECTIONS_PER_ADDRESS at once, serves other addresses, and serves it again once one closes', async () => {
    const held: Outcome[] = [];
    for (let i = 0; i < PER_ADDRESS; i++) {
      const outcome = await healthFrom('127.0.0.2');
      expect(outcome.text).toMatch(/^HTTP\/1\.1 200/);
      held.push(outcome);
    }
    const extra = await healthFrom('127.0.0.2');
    expect(extra.text).toBe('');
    expect(extra.closed).toBe(true);
    expect(extra.ms).toBeLessThan(1000);
    await expect.poll(() => server.logs.some((line) => line.msg === 'connection cap per address reached: refusing its new connections')).toBe(true);
    // Another client is not affected.
    expect((await healthFrom('127.0.0.3')).text).toMatch(/^HTTP\/1\.1 200/);
    // Once one of its connections closes, the address is served again.
    // (The server learns of the close a moment later: asked again until then.)
    held[0]!.socket.destroy();
    await expect.poll(async () => (await healthFrom('127.0.0.2', 1000)).text.slice(0, 12), { timeout: 10_000, interval: 200 }).toBe('HTTP/1.1 200');
  }, 30_000);

  it('does not count the connections of a trusted proxy (TRUST_PROXY), each of which carries many clients', async () => {
    for (let i = 0; i < PER_ADDRESS + 3; i++) expect((await healthFrom(PROXY)).text).toMatch(/^HTTP\/1\.1 200/);
  }, 30_000);
});
