// A throwaway Redis for one test file: `redis-server` on a free port with persistence off, as a child of
// the test process, so a test can stop, kill and restart it (its data is then gone, as after a real
// restart without persistence) without touching the machine's shared Redis.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { freePort, waitFor } from './commands.js';
import { killOnExit, withTimeout, type Teardown } from './teardown.js';

export class RedisServer {
  private child: ChildProcess | undefined;
  private forgetPid: () => void = () => undefined;
  private output = '';

  private constructor(readonly port: number) {}

  static async start(teardown: Teardown): Promise<RedisServer> {
    const server = new RedisServer(await freePort());
    teardown.add('stop the Redis server', () => server.stop('SIGKILL'));
    await server.startServer();
    return server;
  }

  /** A connection string for this server, through `port` (a proxy's) if given. */
  url(port = this.port): string {
    return `redis://127.0.0.1:${port}`;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  async startServer(): Promise<void> {
    if (this.running) return;
    const child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'no'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.forgetPid = killOnExit(child.pid!);
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    await waitFor('Redis to answer PING', () => this.ping(), 15_000);
  }

  /** Stops the server: SIGTERM is a clean shutdown, SIGKILL a crash. Its data is lost either way. */
  async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await withTimeout(exited, 10_000, 'redis-server to exit');
    this.forgetPid();
  }

  async restart(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    await this.stop(signal);
    await this.startServer();
  }

  /** The server's last output lines (for a failing test's message). */
  logTail(): string {
    return this.output;
  }

  private async ping(): Promise<true | undefined> {
    return new Promise((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port: this.port });
      const done = (answer: true | undefined) => {
        socket.destroy();
        resolve(answer);
      };
      socket.setTimeout(1000, () => done(undefined));
      socket.once('error', () => done(undefined));
      socket.once('connect', () => socket.write('PING\r\n'));
      socket.once('data', (data) => done(data.toString().startsWith('+PONG') ? true : undefined));
    });
  }
}
