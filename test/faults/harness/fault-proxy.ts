// A TCP proxy (node:net) between Corkboard and PostgreSQL or Redis, to break the network the way real
// networks break:
// - cut():       reset every open connection now (a peer that restarted, a NAT that dropped its table);
// - refuse():    new connections are reset at once, as by a port nothing listens on;
// - stall():     nothing moves in either direction, on open and new connections, until pass(); no
//                byte is lost (a congested or briefly partitioned link: TCP delivers it all later);
// - blackhole(): every byte is dropped from now on and nothing is closed (a partition, or a host that
//                vanished): the peer hears nothing, ever; pass() then resets those connections, since
//                their streams lost bytes;
// - pass():      back to normal for new connections (and stalled ones resume).
import net from 'node:net';
import type { Teardown } from './teardown.js';

export type ProxyMode = 'pass' | 'stall' | 'blackhole' | 'refuse';

interface Pair {
  client: net.Socket;
  upstream: net.Socket;
  /** Bytes are dropped (the connection went through a blackhole). */
  black: boolean;
}

export class FaultProxy {
  private readonly pairs = new Set<Pair>();
  private modeNow: ProxyMode = 'pass';
  /** Connections accepted since start. */
  accepted = 0;

  private constructor(
    private readonly server: net.Server,
    readonly port: number,
    readonly targetPort: number,
  ) {}

  static async start(teardown: Teardown, targetPort: number): Promise<FaultProxy> {
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: '127.0.0.1', port: 0 }, () => resolve());
    });
    const proxy = new FaultProxy(server, (server.address() as net.AddressInfo).port, targetPort);
    server.on('connection', (client) => proxy.accept(client));
    teardown.add(`close the proxy to port ${targetPort}`, () => proxy.close());
    return proxy;
  }

  get mode(): ProxyMode {
    return this.modeNow;
  }

  /** Connections open through the proxy now. */
  get openConnections(): number {
    return this.pairs.size;
  }

  pass(): void {
    this.modeNow = 'pass';
    for (const pair of [...this.pairs]) {
      if (pair.black) this.reset(pair);
      else {
        pair.client.resume();
        pair.upstream.resume();
      }
    }
  }

  stall(): void {
    this.modeNow = 'stall';
    for (const pair of this.pairs) {
      pair.client.pause();
      pair.upstream.pause();
    }
  }

  blackhole(): void {
    this.modeNow = 'blackhole';
    for (const pair of this.pairs) {
      pair.black = true;
      // Paused sockets would hold their bytes back instead of dropping them.
      pair.client.resume();
      pair.upstream.resume();
    }
  }

  refuse(): void {
    this.modeNow = 'refuse';
  }

  /** Resets every open connection; the mode stays as it is. Answers how many were cut. */
  cut(): number {
    const count = this.pairs.size;
    for (const pair of [...this.pairs]) this.reset(pair);
    return count;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: net.Socket): void {
    this.accepted += 1;
    client.on('error', () => undefined);
    if (this.modeNow === 'refuse') {
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect({ host: '127.0.0.1', port: this.targetPort });
    upstream.on('error', () => undefined);
    const pair: Pair = { client, upstream, black: this.modeNow === 'blackhole' };
    this.pairs.add(pair);
    if (this.modeNow === 'stall') {
      client.pause();
      upstream.pause();
    }
    const forward = (from: net.Socket, to: net.Socket) => {
      from.on('data', (chunk: Buffer) => {
        if (!pair.black && !to.destroyed) to.write(chunk);
      });
      from.on('end', () => {
        if (!pair.black) to.end();
      });
      from.on('close', () => {
        // A connection in a blackhole hears nothing of its peer, not even that it went away; it stays
        // listed until pass() or close() resets it.
        if (pair.black) return;
        this.pairs.delete(pair);
        to.destroy();
      });
    };
    forward(client, upstream);
    forward(upstream, client);
  }

  private reset(pair: Pair): void {
    this.pairs.delete(pair);
    if (!pair.client.destroyed) pair.client.resetAndDestroy();
    if (!pair.upstream.destroyed) pair.upstream.resetAndDestroy();
  }
}
