// `npm run bench:web`: the web app's first load, measured in headless Chromium (Debian's
// /usr/bin/chromium through playwright-core) against `npm start` (compiled server, embedded database,
// demo data) on loopback:
// - first-load JavaScript: every script the browser fetched to show the home feed, gzipped as the
//   server sends it (goal: at most 250 KB), against all the JavaScript of the build;
// - time from navigation to the first pin images visible (loaded and inside the window; goal: at most
//   1.5 s), with the browser cache off, signed in as `demo`, over --runs loads (p50, max);
// - layout shift while the page loads (the cumulative layout shift score; 0 = nothing moved).
// --screenshots also writes each screen at phone (390 px) and desktop (1280 px) widths to
// docs/screenshots/. Report: bench/results/<date>-web-app.{json,md}.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../test/support/chromium.js';
import { freePort, ROOT, ServerProcess } from './processes.js';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '7' },
    screenshots: { type: 'boolean', default: false },
    out: { type: 'string', default: path.join(ROOT, 'bench', 'results') },
  },
});
const RUNS = Number(args.runs);
const DIST = path.join(ROOT, 'web', 'dist');
const SHOTS = path.join(ROOT, 'docs', 'screenshots');
const GOALS = { firstLoadJsGzipKiB: 250, firstPinsVisibleMs: 1500 };

interface Load {
  firstPinsVisibleMs: number;
  domContentLoadedMs: number;
  layoutShift: number;
  scripts: string[];
}

const gzipKiB = (bytes: Buffer) => gzipSync(bytes, { level: 9 }).length / 1024;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

// What these functions touch in the page, typed here: the server's tsconfig has no DOM types. They
// run as functions (a string would be evaluated, which the page's Content-Security-Policy forbids).
interface PageImage {
  complete: boolean;
  naturalWidth: number;
  getBoundingClientRect(): { top: number };
}
interface PageGlobals {
  document: { querySelectorAll(selector: string): ArrayLike<PageImage>; images: ArrayLike<PageImage>; querySelector(selector: string): unknown };
  innerHeight: number;
  performance: { now(): number; getEntriesByType(type: string): Array<{ domContentLoadedEventEnd: number }> };
  __shift: number;
}

function firstPinsVisible(): number | false {
  const page = globalThis as unknown as PageGlobals;
  const images = Array.from(page.document.querySelectorAll('.pin-grid img'));
  const shown = images.some((img) => img.complete && img.naturalWidth > 0 && img.getBoundingClientRect().top < page.innerHeight);
  return shown ? page.performance.now() : false;
}

function loadTiming(): { domContentLoadedMs: number; layoutShift: number } {
  const page = globalThis as unknown as PageGlobals;
  return { domContentLoadedMs: page.performance.getEntriesByType('navigation')[0]!.domContentLoadedEventEnd, layoutShift: page.__shift };
}

function imagesInWindowLoaded(): boolean {
  const page = globalThis as unknown as PageGlobals;
  return Array.from(page.document.images)
    .filter((img) => img.getBoundingClientRect().top < page.innerHeight)
    .every((img) => img.complete);
}

function nothingLoading(): boolean {
  return (globalThis as unknown as PageGlobals).document.querySelector('[aria-busy="true"]') === null;
}

/** One cold load of the home feed: no cache, signed in by the context's cookie. */
async function loadHome(context: BrowserContext, base: string): Promise<Load> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const scripts: string[] = [];
  page.on('request', (request) => {
    if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
  });
  // Browser code as text: these run in the page, whose types (DOM) the server's tsconfig leaves out.
  await page.addInitScript(`
    window.__shift = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__shift += entry.value;
    }).observe({ type: 'layout-shift', buffered: true });
  `);
  await page.goto(`${base}/`, { waitUntil: 'commit' });
  // The first moment a pin image in the grid has arrived and is inside the window (checked every frame).
  const visibleAt = await page.waitForFunction(firstPinsVisible, undefined, { polling: 'raf', timeout: 30_000 });
  const firstPinsVisibleMs = (await visibleAt.jsonValue()) as number;
  await page.waitForTimeout(500);
  const timing = await page.evaluate(loadTiming);
  await page.close();
  return { firstPinsVisibleMs, ...timing, scripts: [...new Set(scripts)] };
}

async function signIn(page: Page, base: string): Promise<void> {
  await page.goto(`${base}/`);
  await page.getByLabel('Username', { exact: true }).fill('demo');
  await page.getByLabel('Password', { exact: true }).fill('demo-password');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.locator('.pin-grid img').first().waitFor();
}

/** Waits until the pin images inside the window have arrived, so a screenshot shows them. */
async function settle(page: Page): Promise<void> {
  await page.waitForFunction(imagesInWindowLoaded, undefined, { timeout: 15_000 });
  await page.waitForTimeout(300);
}

async function screenshots(base: string): Promise<string[]> {
  await fs.mkdir(SHOTS, { recursive: true });
  const written: string[] = [];
  for (const [width, height, label] of [
    [1280, 800, 'desktop'],
    [390, 844, 'phone'],
  ] as const) {
    const chromium = await launchChromium({ width, height });
    try {
      const page = await chromium.context.newPage();
      const shot = async (name: string) => {
        const file = path.join(SHOTS, `${name}-${label}.png`);
        await page.screenshot({ path: file });
        written.push(path.relative(ROOT, file));
      };
      await page.goto(`${base}/`);
      await page.getByRole('heading', { name: 'Log in to Corkboard' }).waitFor();
      await shot('login');
      await page.goto(`${base}/signup`);
      await page.getByRole('button', { name: 'Sign up' }).waitFor();
      await shot('signup');
      await signIn(page, base);
      await settle(page);
      await shot('home');
      await page.locator('.pin-grid .pin-card').first().click();
      await page.getByRole('button', { name: 'Save', exact: true }).waitFor();
      await settle(page);
      await shot('pin');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByRole('dialog').waitFor();
      await shot('pin-save');
      await page.keyboard.press('Escape');
      await page.goto(`${base}/user/maya`);
      await page.getByRole('button', { name: /^(Follow|Unfollow)$/ }).waitFor();
      await settle(page);
      await shot('profile');
      await page.locator('.board-card').first().click();
      await page.locator('.pin-grid img').first().waitFor();
      await settle(page);
      await shot('board');
      await page.goto(`${base}/pin-builder`);
      await page.getByRole('button', { name: 'Create pin' }).waitFor();
      await shot('create-pin');
      await page.getByRole('searchbox').fill('lamp');
      await page.getByRole('searchbox').press('Enter');
      await page.getByRole('heading', { name: /matching/ }).waitFor();
      await page.waitForFunction(nothingLoading);
      await settle(page);
      await shot('search');
      await page.goto(`${base}/pin/9000000000000000001`);
      await page.getByRole('heading', { name: "Sorry, we couldn't find that page" }).waitFor();
      await shot('not-found');
    } finally {
      await chromium.close();
    }
  }
  return written;
}

async function main(): Promise<void> {
  const built = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build-web.mjs')], { cwd: ROOT, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('the web app did not build');
  const allJs = (await fs.readdir(path.join(DIST, 'assets'))).filter((file) => file.endsWith('.js'));
  const jsGzip = new Map<string, number>();
  for (const file of allJs) jsGzip.set(`/assets/${file}`, gzipKiB(await fs.readFile(path.join(DIST, 'assets', file))));

  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'corkboard-web-bench-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = ServerProcess.start('corkboard', 'scripts/run.mjs', ['main'], { PORT: String(port), PUBLIC_BASE_URL: base, DATA_DIR: dataDir, DATABASE_URL: undefined, REDIS_URL: undefined, LOG_LEVEL: 'warn', SEED_DEMO: 'true' }, port);
  const loads: Load[] = [];
  let shots: string[] = [];
  const loadBefore = os.loadavg()[0]!;
  try {
    await server.waitReady('/healthz', 300_000);
    const chromium = await launchChromium({ width: 1280, height: 800 });
    try {
      const page = await chromium.context.newPage();
      await signIn(page, base);
      await page.close();
      // One load to warm the server (its caches, the feed), then the measured ones.
      await loadHome(chromium.context, base);
      for (let i = 0; i < RUNS; i += 1) loads.push(await loadHome(chromium.context, base));
    } finally {
      await chromium.close();
    }
    if (args.screenshots) shots = await screenshots(base);
  } finally {
    await server.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  }

  const firstLoadScripts = loads[0]!.scripts;
  const firstLoadKiB = firstLoadScripts.reduce((sum, script) => sum + (jsGzip.get(script) ?? 0), 0);
  const totalKiB = [...jsGzip.values()].reduce((a, b) => a + b, 0);
  const visible = loads.map((load) => load.firstPinsVisibleMs);
  const result = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, loadAverageBefore: loadBefore, loadAverageAfter: os.loadavg()[0]! },
    runs: RUNS,
    goals: GOALS,
    firstLoadJs: { gzipKiB: Number(firstLoadKiB.toFixed(1)), scripts: firstLoadScripts.map((script) => ({ script, gzipKiB: Number((jsGzip.get(script) ?? 0).toFixed(1)) })) },
    buildJs: { files: allJs.length, gzipKiB: Number(totalKiB.toFixed(1)) },
    firstPinsVisibleMs: { p50: Math.round(percentile(visible, 50)), max: Math.round(Math.max(...visible)), all: visible.map(Math.round) },
    domContentLoadedMs: { p50: Math.round(percentile(loads.map((load) => load.domContentLoadedMs), 50)) },
    layoutShift: { max: Number(Math.max(...loads.map((load) => load.layoutShift)).toFixed(4)) },
    screenshots: shots,
  };
  const day = result.date.slice(0, 10);
  await fs.mkdir(args.out, { recursive: true });
  await fs.writeFile(path.join(args.out, `${day}-web-app.json`), `${JSON.stringify(result, null, 2)}\n`);
  const md = `# Web app first load (${day})

\`npm run bench:web\`: \`npm start\` (compiled, embedded database, demo data) on loopback, headless Chromium
(/usr/bin/chromium), signed in as \`demo\`, browser cache off, ${RUNS} loads after one warm-up. ${result.machine.cpus} CPUs,
load average ${result.machine.loadAverageBefore.toFixed(1)} before and ${result.machine.loadAverageAfter.toFixed(1)} after.

| measure | result | goal |
|---|---|---|
| first-load JavaScript (gzip) | ${result.firstLoadJs.gzipKiB} KiB in ${firstLoadScripts.length} files | <= ${GOALS.firstLoadJsGzipKiB} KB |
| all JavaScript of the build (gzip) | ${result.buildJs.gzipKiB} KiB in ${allJs.length} files | |
| navigation to first pin images visible | p50 ${result.firstPinsVisibleMs.p50} ms, max ${result.firstPinsVisibleMs.max} ms | <= ${GOALS.firstPinsVisibleMs} ms |
| DOMContentLoaded | p50 ${result.domContentLoadedMs.p50} ms | |
| cumulative layout shift | ${result.layoutShift.max} (worst load) | 0 |

First-load scripts: ${result.firstLoadJs.scripts.map((s) => `\`${s.script}\` ${s.gzipKiB} KiB`).join(', ')}.
`;
  await fs.writeFile(path.join(args.out, `${day}-web-app.md`), md);
  console.log(md);
}

await main();
