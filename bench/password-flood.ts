// `npm run bench:password-flood`: does a flood of sign-ins stall everything else that needs libuv's
// thread pool? scrypt (N = 2^15, ~32 MiB) runs on that pool, as do file reads, so /media image
// files wait behind password hashes when hashing is not bounded. The same server code runs twice
// in one run: PASSWORD_HASH_CONCURRENCY=0 (every hash straight to the pool, as before the bound)
// and the default bound; each time /media files are read at a fixed rate alone, then under sign-in
// floods of increasing rates. Reported: /media p50/p99 (and their ratio to the same server's idle
// figures and to the unbounded server's under the same flood), how the sign-ins were answered
// (200, 503 when the hashing queue was full) and their latency. Open loop: requests leave on a
// schedule whatever the answers, so waiting shows up as latency instead of as fewer requests.
import http from 'node:http';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { freePort, ROOT, ServerProcess } from './processes.js';

const { values: args } = parseArgs({
  options: {
    rates: { type: 'string', default: '4,8,16' },
    duration: { type: 'string', default: '20' },
    'media-rate': { type: 'string', default: '20' },
    images: { type: 'string', default: '12' },
    out: { type: 'string', default: path.join(ROOT, 'bench/results') },
  },
});

const RATES = args.rates.split(',').map(Number);
const DURATION_S = Number(args.duration);
const MEDIA_RATE = Number(args['media-rate']);
const IMAGES = Number(args.images);
const PASSWORD = 'flood-password-1234';
const SETTINGS = [
  { name: 'unbounded (every hash on the pool)', env: { PASSWORD_HASH_CONCURRENCY: '0' } },
  { name: 'bounded (default settings)', env: {} },
] as const;

interface Sample {
  status: number;
  ms: number;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

function send(base: string, method: string, url: string, body?: string, headers: Record<string, string> = {}): Promise<Sample & { body: string }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = http.request(`${base}${url}`, { method, agent, headers: { ...headers, ...(body ? { 'content-length': Buffer.byteLength(body) } : {}) }, timeout: 120_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ status: 0, ms: performance.now() - started, body: '' }));
    req.end(body);
  });
}

/** Sends `make()` `rate` times a second for `seconds`, on schedule; resolves when every answer is in. */
async function openLoop(rate: number, seconds: number, make: () => Promise<Sample>): Promise<Sample[]> {
  if (rate <= 0) return [];
  const pending: Promise<Sample>[] = [];
  const start = performance.now();
  const total = Math.round(rate * seconds);
  for (let i = 0; i < total; i += 1) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    pending.push(make());
  }
  return Promise.all(pending);
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

interface PhaseResult {
  setting: string;
  loginRate: number;
  media: { sent: number; ok: number; p50: number; p99: number };
  logins: { sent: number; byStatus: Record<string, number>; p50: number; p99: number };
}

function summarize(setting: string, loginRate: number, media: Sample[], logins: Sample[]): PhaseResult {
  const okMedia = media.filter((s) => s.status === 200).map((s) => s.ms);
  const byStatus: Record<string, number> = {};
  for (const s of logins) byStatus[String(s.status)] = (byStatus[String(s.status)] ?? 0) + 1;
  const answered = logins.filter((s) => s.status !== 0).map((s) => s.ms);
  return {
    setting,
    loginRate,
    media: { sent: media.length, ok: okMedia.length, p50: percentile(okMedia, 50), p99: percentile(okMedia, 99) },
    logins: { sent: logins.length, byStatus, p50: percentile(answered, 50), p99: percentile(answered, 99) },
  };
}

/** Signs up the flooding account and pins IMAGES photos-sized JPEGs; answers their /media paths. */
async function prepare(base: string): Promise<string[]> {
  const json = { 'content-type': 'application/json' };
  const signUp = await send(base, 'POST', '/v5/accounts', JSON.stringify({ username: 'flooder', email: 'flooder@example.test', password: PASSWORD }), json);
  if (signUp.status !== 201) throw new Error(`sign-up failed: ${signUp.status} ${signUp.body}`);
  const token = await send(base, 'POST', '/v5/oauth/token', new URLSearchParams({ grant_type: 'password', username: 'flooder', password: PASSWORD }).toString(), {
    'content-type': 'application/x-www-form-urlencoded',
  });
  const auth = { ...json, authorization: `Bearer ${(JSON.parse(token.body) as { access_token: string }).access_token}` };
  const board = await send(base, 'POST', '/v5/boards', JSON.stringify({ name: 'Flood' }), auth);
  const boardId = (JSON.parse(board.body) as { id: string }).id;
  const urls: string[] = [];
  for (let i = 0; i < IMAGES; i += 1) {
    // Noise compresses badly: each original is a few hundred KiB, like a phone photo scaled down.
    const raw = Buffer.alloc(900 * 700 * 3);
    for (let j = 0; j < raw.length; j += 1) raw[j] = (j * 2654435761 + i * 97) % 251;
    const jpeg = await sharp(raw, { raw: { width: 900, height: 700, channels: 3 } }).jpeg({ quality: 90 }).toBuffer();
    const pin = await send(base, 'POST', '/v5/pins', JSON.stringify({ board_id: boardId, title: `Flood ${i}`, media_source: { source_type: 'image_base64', content_type: 'image/jpeg', data: jpeg.toString('base64') } }), auth);
    if (pin.status !== 201) throw new Error(`pin failed: ${pin.status} ${pin.body}`);
    const images = (JSON.parse(pin.body) as { media: { images: Record<string, { url: string }> } }).media.images;
    for (const image of Object.values(images)) urls.push(new URL(image.url).pathname + new URL(image.url).search);
  }
  return urls;
}

async function main(): Promise<void> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'corkboard-password-flood-'));
  const results: PhaseResult[] = [];
  let mediaPaths: string[] = [];
  const loginBody = new URLSearchParams({ grant_type: 'password', username: 'flooder', password: PASSWORD }).toString();
  try {
    for (const setting of SETTINGS) {
      const port = await freePort();
      const server = ServerProcess.start(
        'corkboard',
        'src/main.ts',
        ['--role', 'api'],
        { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: undefined, REDIS_URL: undefined, SEED_DEMO: 'false', LOG_LEVEL: 'warn', ...setting.env },
        port,
      );
      try {
        await server.waitReady('/readyz');
        if (mediaPaths.length === 0) mediaPaths = await prepare(server.url);
        let next = 0;
        const media = () => send(server.url, 'GET', mediaPaths[next++ % mediaPaths.length]!);
        const login = () => send(server.url, 'POST', '/v5/oauth/token', loginBody, { 'content-type': 'application/x-www-form-urlencoded' });
        // Warm-up: the first reads open files and the JIT compiles.
        await openLoop(MEDIA_RATE, 2, media);
        for (const rate of [0, ...RATES]) {
          const [mediaSamples, loginSamples] = await Promise.all([openLoop(MEDIA_RATE, DURATION_S, media), openLoop(rate, DURATION_S, login)]);
          const phase = summarize(setting.name, rate, mediaSamples, loginSamples);
          results.push(phase);
          console.log(JSON.stringify(phase));
        }
      } finally {
        await server.stop();
      }
    }
  } finally {
    await fs.rm(dataDir, { recursive: true, force: true });
  }
  await writeReport(results, mediaPaths.length);
}

async function writeReport(results: PhaseResult[], files: number): Promise<void> {
  const date = new Date().toISOString().slice(0, 10);
  const base = path.join(args.out, `${date}-password-flood-pglite`);
  const machine = { cpus: os.availableParallelism(), loadavg: os.loadavg().map((n) => Math.round(n * 10) / 10), node: process.version };
  await fs.mkdir(args.out, { recursive: true });
  await fs.writeFile(`${base}.json`, JSON.stringify({ date, machine, durationSeconds: DURATION_S, mediaRate: MEDIA_RATE, mediaFiles: files, results }, null, 2) + '\n');
  const f = (n: number) => (Number.isFinite(n) ? n.toFixed(n < 10 ? 1 : 0) : '–');
  const ratio = (n: number) => (Number.isFinite(n) ? (n < 1 ? n.toPrecision(2) : n.toFixed(n < 10 ? 1 : 0)) : '–');
  const idle = (setting: string) => results.find((r) => r.setting === setting && r.loginRate === 0)!;
  const unbounded = (rate: number) => results.find((r) => r.setting === SETTINGS[0].name && r.loginRate === rate)!;
  const rows = results.map((r) => {
    const i = idle(r.setting);
    const u = unbounded(r.loginRate);
    const statuses = Object.entries(r.logins.byStatus).map(([status, n]) => `${status === '0' ? 'no answer' : status}: ${n}`).join(', ') || '–';
    return `| ${r.setting} | ${r.loginRate}/s | ${f(r.media.p50)} | ${f(r.media.p99)} | ${r.media.ok}/${r.media.sent} | ${ratio(r.media.p50 / i.media.p50)}× | ${r.setting === SETTINGS[0].name ? '–' : `${ratio(r.media.p50 / u.media.p50)}× / ${ratio(r.media.p99 / u.media.p99)}×`} | ${statuses} | ${f(r.logins.p50)} | ${f(r.logins.p99)} |`;
  });
  const md = `# Password hashing vs the thread pool (${date})

\`npm run bench:password-flood\`: one Corkboard server (embedded database), run twice: with
\`PASSWORD_HASH_CONCURRENCY=0\` (every scrypt hash goes straight to libuv's pool, as before the
bound) and with the default bound. Each run reads /media image files (${files} files, the renditions
of ${IMAGES} uploaded 900x700 JPEGs) at ${MEDIA_RATE}/s for ${DURATION_S} s alone, then again under a
flood of correct-password sign-ins (POST /v5/oauth/token, scrypt N = 2^15) at each rate. Open loop.
Times in milliseconds. Machine: ${machine.cpus} CPUs, load average at the end ${machine.loadavg.join(' / ')}
(the machine is shared: other programs ran meanwhile), Node ${machine.node}.

| server | sign-ins | /media p50 | /media p99 | /media answered | p50 vs idle | p50 / p99 vs unbounded | sign-in answers | sign-in p50 | sign-in p99 |
|---|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}
`;
  await fs.writeFile(`${base}.md`, md);
  console.log(md);
  console.log(`written ${base}.md and .json`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
