// `npm start` and `npm run cli` run compiled JavaScript (scripts/run.mjs, scripts/build.mjs): the
// sources are compiled once, reused while they are unchanged, compiled again as soon as one is edited,
// added or removed (a stale build never runs), and the real server and CLI work from the build; the
// server serves the web app's build (scripts/build-web.mjs) at `/`.
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { LogWatcher, ROOT, childEnv, prepareDataDir } from './processes.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runNode(cwd: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the build behind npm start', () => {
  // A project of two source files with the real launcher, so editing sources touches nothing real.
  let project: string;
  beforeAll(async () => {
    project = await fs.mkdtemp(path.join(os.tmpdir(), 'corkboard-build-'));
    await fs.mkdir(path.join(project, 'scripts'));
    await fs.mkdir(path.join(project, 'src', 'lib'), { recursive: true });
    for (const file of ['build.mjs', 'build-web.mjs', 'run.mjs']) await fs.copyFile(path.join(ROOT, 'scripts', file), path.join(project, 'scripts', file));
    await fs.symlink(path.join(ROOT, 'node_modules'), path.join(project, 'node_modules'));
    await fs.writeFile(path.join(project, 'package.json'), '{"type":"module"}\n');
    await fs.writeFile(path.join(project, 'src', 'lib', 'greeting.ts'), "export const greeting: string = 'hello';\n");
    await fs.writeFile(
      path.join(project, 'src', 'main.ts'),
      "import { greeting } from './lib/greeting.js';\nconst args: string[] = process.argv.slice(2);\nconsole.log(`${greeting} ${args.join(' ')} from ${import.meta.url.split('/').slice(-2).join('/')}`);\n",
    );
    await fs.writeFile(path.join(project, 'src', 'main.test.ts'), 'this is not compiled: tests are not part of the build\n');
  });
  afterAll(async () => {
    await fs.rm(project, { recursive: true, force: true });
  });

  const start = () => runNode(project, ['scripts/run.mjs', 'main', 'a', 'b']);

  it('compiles on the first start, reuses the build while sources are unchanged, and recompiles when one changes', async () => {
    const first = await start();
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/compiling src\/ \(2 files\)/);
    expect(first.stdout).toMatch(/^hello a b from [0-9a-f]{16}\/main\.js\n$/);
    const firstBuild = first.stdout.trim().split(' ').at(-1)!.split('/')[0]!;

    const again = await start();
    expect(again.code).toBe(0);
    expect(again.stderr).toBe('');
    expect(again.stdout).toBe(first.stdout);

    // An edit of the same length, as a quick fix might be: the build must still not be reused.
    await fs.writeFile(path.join(project, 'src', 'lib', 'greeting.ts'), "export const greeting: string = 'howdy';\n");
    const edited = await start();
    expect(edited.stderr).toMatch(/compiling src\//);
    expect(edited.stdout).toMatch(/^howdy a b from /);
    expect(edited.stdout).not.toContain(firstBuild);

    // A source file added (and then removed) changes the build too.
    await fs.writeFile(path.join(project, 'src', 'lib', 'extra.ts'), 'export const extra = 1;\n');
    expect((await start()).stderr).toMatch(/compiling src\/ \(3 files\)/);
    await fs.rm(path.join(project, 'src', 'lib', 'extra.ts'));
    const removed = await start();
    expect(removed.stderr).toBe('');
    expect(removed.stdout).toBe(edited.stdout);
  });

  it('refuses to start when the sources do not compile, naming the file', async () => {
    await fs.writeFile(path.join(project, 'src', 'broken.ts'), 'export const = ;\n');
    const broken = await start();
    await fs.rm(path.join(project, 'src', 'broken.ts'));
    expect(broken.code).not.toBe(0);
    expect(broken.stdout).toBe('');
    expect(broken.stderr).toContain('broken.ts');
  });
});

describe('Corkboard from its build', () => {
  let tmp: string;
  let postgres: TestDatabase | undefined;
  beforeAll(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'corkboard-compiled-'));
    if (process.env.DATABASE_URL) postgres = await createTestDatabase();
    else await prepareDataDir(path.join(tmp, 'data'));
  });
  afterAll(async () => {
    await postgres?.drop();
    await fs.rm(tmp, { recursive: true, force: true });
  });
  const env = () => childEnv({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: path.join(tmp, 'data'), SEED_DEMO: 'false', DATABASE_URL: postgres?.url });

  it('serves, and runs the operator commands, from compiled JavaScript', async () => {
    const child = spawn(process.execPath, ['scripts/run.mjs', 'main'], { cwd: ROOT, env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const logs = new LogWatcher(child.stdout);
    try {
      const serving = await Promise.race([
        logs.waitFor((line) => line.msg.startsWith('Corkboard is serving')),
        exited.then((code) => {
          throw new Error(`server exited early with ${code}: ${stderr}`);
        }),
      ]);
      const base = serving.url!;
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      // The web app, built by the launcher when web/dist is not a build of web/'s sources.
      const home = await fetch(`${base}/`, { headers: { accept: 'text/html' } });
      expect(home.status).toBe(200);
      const html = await home.text();
      expect(html).toContain('<div id="root"></div>');
      const script = /<script type="module" crossorigin src="(\/assets\/[\w.-]+\.js)"><\/script>/.exec(html)?.[1];
      expect(script).toBeDefined();
      const code = await fetch(`${base}${script}`);
      expect(code.status).toBe(200);
      expect(code.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect((await fetch(`${base}/pin/1`, { headers: { accept: 'text/html' } })).status).toBe(200);
      // A pin made from an image (sharp) and its related pins (a walk in the worker threads, which load
      // their own compiled entry): the parts of the program that are loaded apart from main.js.
      const json = { 'content-type': 'application/json' };
      const signUp = await fetch(`${base}/v5/accounts`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ username: 'builder', email: 'builder@example.com', password: 'builder-password' }),
      });
      expect(signUp.status).toBe(201);
      const grant = await fetch(`${base}/v5/oauth/token`, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'password', username: 'builder', password: 'builder-password' }),
      });
      const auth = { ...json, authorization: `Bearer ${((await grant.json()) as { access_token: string }).access_token}` };
      const board = await fetch(`${base}/v5/boards`, { method: 'POST', headers: auth, body: JSON.stringify({ name: 'Built', privacy: 'PUBLIC' }) });
      const boardId = ((await board.json()) as { id: string }).id;
      const image = (await fs.readFile(path.join(ROOT, 'docs', 'birdhouse.png'))).toString('base64');
      const pin = await fetch(`${base}/v5/pins`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ board_id: boardId, title: 'Birdhouse', media_source: { source_type: 'image_base64', content_type: 'image/png', data: image } }),
      });
      expect(pin.status).toBe(201);
      const pinId = ((await pin.json()) as { id: string }).id;
      const related = await fetch(`${base}/v5/pins/${pinId}/related`, { headers: auth });
      expect(related.status).toBe(200);
      expect(await related.json()).toMatchObject({ items: [] });
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(logs.lines.map((line) => line.msg)).toContain('shutdown complete');
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }

    const jobs = await runNode(ROOT, ['scripts/run.mjs', 'cli', 'jobs'], env());
    expect(jobs.stderr).toBe('');
    expect(jobs.code).toBe(0);
    expect(jobs.stdout).toMatch(/waiting/i);
  }, 90_000);
});
