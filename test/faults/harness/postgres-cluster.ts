// A throwaway PostgreSQL cluster for one test file: initdb into a temporary directory, started with
// pg_ctl on a free port (and a socket directory of its own under /tmp), so a test can terminate its
// backends, restart it or kill it without touching the machine's shared PostgreSQL. Its tools run as
// the `postgres` user when the tests run as root (the server refuses root).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { chownTree, freePort, isRoot, run, waitFor } from './commands.js';
import { killOnExit, removeOnExit, type Teardown } from './teardown.js';

const PG_USER = 'postgres';

/** The newest PostgreSQL server installed under /usr/lib/postgresql/<version>/bin. */
export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return undefined;
  const versions = fs
    .readdirSync(root)
    .filter((version) => fs.existsSync(path.join(root, version, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(root, versions[0], 'bin') : undefined;
}

export type StopMode = 'smart' | 'fast' | 'immediate';

export class PostgresCluster {
  private forgetPid: () => void = () => undefined;

  private constructor(
    readonly port: number,
    private readonly binDir: string,
    private readonly baseDir: string,
  ) {}

  /** Creates and starts a cluster; its teardown is registered on `teardown`. */
  static async start(teardown: Teardown): Promise<PostgresCluster> {
    const binDir = postgresBinDir();
    if (!binDir) throw new Error('PostgreSQL server programs not found under /usr/lib/postgresql/*/bin');
    const baseDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-pg-'));
    const forgetDir = removeOnExit(baseDir);
    fs.mkdirSync(path.join(baseDir, 'sock'));
    if (isRoot) chownTree(baseDir, PG_USER);
    const cluster = new PostgresCluster(await freePort(), binDir, baseDir);
    teardown.add('remove the PostgreSQL cluster directory', async () => {
      fs.rmSync(baseDir, { recursive: true, force: true });
      forgetDir();
    });
    teardown.add('stop the PostgreSQL cluster', () => cluster.stop('immediate'));
    await run(
      path.join(binDir, 'initdb'),
      ['-D', cluster.dataDir, '-U', PG_USER, '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C', '--no-instructions'],
      { asUser: PG_USER, timeoutMs: 120_000 },
    );
    await cluster.startServer();
    return cluster;
  }

  get dataDir(): string {
    return path.join(this.baseDir, 'data');
  }

  /** A connection string for `database` on this cluster, through `port` (a proxy's) if given. */
  url(database: string, port = this.port): string {
    return `postgres://${PG_USER}@127.0.0.1:${port}/${database}`;
  }

  /** Creates a database (dropping one of the same name first). */
  async createDatabase(name: string): Promise<void> {
    await this.admin(async (client) => {
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.query(`CREATE DATABASE ${name}`);
    });
  }

  /** Runs `work` with a direct connection to `database` (never through a proxy). */
  async admin<T>(work: (client: pg.Client) => Promise<T>, database = 'postgres'): Promise<T> {
    const client = new pg.Client({ connectionString: this.url(database), connectionTimeoutMillis: 5000 });
    client.on('error', () => undefined);
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  /** Terminates every backend of `database` (pg_terminate_backend); answers how many. */
  async terminateBackends(database: string): Promise<number> {
    return this.admin(async (client) => {
      // The backends are listed first (MATERIALIZED), so the terminating call never sees another row.
      const result = await client.query<{ terminated: boolean }>(
        `WITH targets AS MATERIALIZED (SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid())
         SELECT pg_terminate_backend(pid) AS terminated FROM targets`,
        [database],
      );
      return result.rows.filter((row) => row.terminated).length;
    });
  }

  /** How many client backends are connected to `database`. */
  async backendCount(database: string): Promise<number> {
    return this.admin(async (client) => {
      const result = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend'", [database]);
      return result.rows[0]?.n ?? 0;
    });
  }

  /** pg_ctl restart: every connection is closed, and the port refuses connections until it is back. */
  async restart(mode: StopMode = 'fast'): Promise<void> {
    await this.stop(mode);
    await this.startServer();
  }

  async stop(mode: StopMode = 'fast'): Promise<void> {
    if (!fs.existsSync(path.join(this.dataDir, 'postmaster.pid'))) return;
    await this.pgCtl(['-m', mode, 'stop']);
    this.forgetPid();
  }

  async startServer(): Promise<void> {
    const options = [
      `-p ${this.port}`,
      `-k ${path.join(this.baseDir, 'sock')}`,
      '-c listen_addresses=127.0.0.1',
      // Durability against a machine crash is not what these tests are about; a server process
      // killed or restarted still loses nothing it acknowledged, since the OS keeps its writes.
      '-c fsync=off',
      '-c full_page_writes=off',
      '-c max_connections=60',
      '-c shared_buffers=32MB',
    ].join(' ');
    await this.pgCtl(['-l', path.join(this.baseDir, 'server.log'), '-o', options, 'start']);
    const pid = Number(fs.readFileSync(path.join(this.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    this.forgetPid = killOnExit(pid);
    await waitFor('PostgreSQL to accept connections', () => this.admin(async () => true), 30_000);
  }

  /** The last lines of the server's log (for a failing test's message). */
  logTail(lines = 30): string {
    const file = path.join(this.baseDir, 'server.log');
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n') : '';
  }

  private async pgCtl(args: string[]): Promise<void> {
    await run(path.join(this.binDir, 'pg_ctl'), ['-D', this.dataDir, '-w', '-t', '60', ...args], { asUser: PG_USER, timeoutMs: 90_000 });
  }
}
