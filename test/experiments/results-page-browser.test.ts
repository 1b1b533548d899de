// The results page in a real browser (Chromium through playwright-core): an administrator who signs in
// with the page's form (a browser session cookie) and opens GET /experiments/{key}/results from the
// running server sees the experiment's title, the sample-ratio verdict, one lift chart per metric and
// the exposures-over-time chart, all drawn with a real size, with no console error; an unknown
// experiment, another user and nobody signed in get the same status as the JSON route. Needs Debian's Chromium at /usr/bin/chromium: missing, the
// suite is skipped locally and fails under CI=true. Set RESULTS_PAGE_SCREENSHOT_DIR to keep a
// screenshot of the page.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium, skipWithoutChromium, type HeadlessChromium } from '../support/chromium.js';
import type { TestUser } from '../support/test-app.js';
import type { EngagementEventInput } from '../../src/experiments/demo/engagement-events.repository.js';
import { activate, createExperiment, createExperimentWorld, expectStatus, recordEvents, type ExperimentWorld } from './experiment-test-support.js';

const skip = skipWithoutChromium('results page browser test');

const KEY = 'browser-check';
const NAME = 'Bigger save button';
const METRICS = ['saves_per_user', 'saved_at_least_once', 'saves_per_impression'];
const PEOPLE = 16;

let world: ExperimentWorld;
let member: TestUser;
let baseUrl: string;
let browser: HeadlessChromium | undefined;
let context: BrowserContext;

describe.skipIf(skip)(`the results page in Chromium${skip ? ` (skipped: no Chromium)` : ''}`, () => {
  beforeAll(async () => {
    world = await createExperimentWorld();
    member = await world.t.signUp('member');
    // Usernames are hashed, so every run splits these people the same way.
    await createExperiment(world, {
      key: KEY,
      name: NAME,
      hash_attribute: 'username',
      variations: [{ key: 'control', name: 'Control', value: 0 }, { key: 'bigger', name: 'Bigger button', value: 1 }],
      metrics: METRICS,
    });
    const variationOf = new Map<string, number>();
    for (let i = 0; i < PEOPLE; i += 1) {
      const person = await world.t.signUp(`person${i}`);
      variationOf.set(person.id, (await activate(world.t, person, KEY)).variationId);
    }
    await world.t.container.background.settle();
    const events: EngagementEventInput[] = [];
    [...variationOf].forEach(([userId, variation], i) => {
      for (let k = 0; k < 4 + (i % 4); k += 1) events.push({ userId, kind: 'impression' });
      for (let k = 0; k < (i % 3) + variation * (i % 2); k += 1) events.push({ userId, kind: 'save' });
    });
    await recordEvents(world.t, events);

    await world.t.app.listen({ host: '127.0.0.1', port: 0 });
    baseUrl = `http://127.0.0.1:${(world.t.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium({ width: 1100, height: 900 });
    context = browser.context;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await world?.t.close();
  });

  /** Signs `username` in through the sign-in form (after dropping any earlier session). */
  async function signIn(username: string): Promise<void> {
    await context.clearCookies();
    const page = await context.newPage();
    await page.goto(`${baseUrl}/login`, { waitUntil: 'load' });
    await page.fill('input[name="username"]', username);
    await page.fill('input[name="password"]', `pw-${username}-secret`);
    await Promise.all([page.waitForURL(`${baseUrl}/experiments`), page.click('button[type="submit"]')]);
    await page.close();
  }

  /** Opens a path in a new tab; answers the page, its status and every console error or page error. */
  async function open(pathAndQuery: string): Promise<{ page: Page; status: number; errors: string[] }> {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    const response = await page.goto(`${baseUrl}${pathAndQuery}`, { waitUntil: 'load' });
    return { page, status: response?.status() ?? 0, errors };
  }

  it('shows an administrator the title, the verdict and every chart, with no console error', async () => {
    await signIn(world.admin.username);
    const { page, status, errors } = await open(`/experiments/${KEY}/results`);
    expect(status).toBe(200);
    expect(await page.title()).toBe(`${NAME} · experiment results · Corkboard`);
    await expect(page.locator('h1').textContent()).resolves.toBe(NAME);

    const verdict = page.locator('#srm .verdict');
    expect(await verdict.isVisible()).toBe(true);
    expect(await verdict.textContent()).toMatch(/^No sample ratio mismatch \(p = [\d.]+; flagged below 0\.001\)\.$/);

    for (const metric of METRICS) {
      const chart = page.locator(`article[data-metric="${metric}"] svg`);
      expect(await chart.count(), metric).toBe(1);
      const box = await chart.boundingBox();
      expect(box?.width, metric).toBeGreaterThan(300);
      expect(box?.height, metric).toBeGreaterThan(40);
      // The treatment's interval is drawn as a visible mark inside the chart.
      const interval = await chart.locator('g.interval[data-variation="1"]').boundingBox();
      expect(interval?.width, metric).toBeGreaterThan(0);
    }

    const exposures = page.locator('#exposures svg');
    const box = await exposures.boundingBox();
    expect(box?.width).toBeGreaterThan(300);
    expect(box?.height).toBeGreaterThan(100);
    const totals = await Promise.all((await exposures.locator('g.series').all()).map(async (series) => Number(await series.getAttribute('data-total'))));
    expect(totals.reduce((a, b) => a + b, 0)).toBe(PEOPLE);

    // No label of any chart is cut off at the chart's edge.
    const clipped: string[] = [];
    for (const chart of await page.locator('svg').all()) {
      const frame = (await chart.boundingBox())!;
      for (const text of await chart.locator('text').all()) {
        const box = (await text.boundingBox())!;
        const outside = box.x < frame.x - 0.5 || box.y < frame.y - 0.5 || box.x + box.width > frame.x + frame.width + 0.5 || box.y + box.height > frame.y + frame.height + 0.5;
        if (outside) clipped.push(`${(await chart.getAttribute('aria-labelledby')) ?? ''}: ${(await text.textContent()) ?? ''}`);
      }
    }
    expect(clipped).toEqual([]);

    const shots = process.env.RESULTS_PAGE_SCREENSHOT_DIR;
    if (shots) {
      await fs.mkdir(shots, { recursive: true });
      await page.screenshot({ path: path.join(shots, 'results-page.png'), fullPage: true });
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it('answers an unknown experiment, another user and nobody signed in as the JSON route does', async () => {
    const cases: Array<{ key: string; who: TestUser | null }> = [
      { key: 'no-such-experiment', who: world.admin },
      { key: KEY, who: member },
      { key: KEY, who: null },
    ];
    for (const { key, who } of cases) {
      const json = await world.t.request({ method: 'GET', url: `/v5/experiments/${key}/results`, as: who });
      if (who) await signIn(who.username);
      else await context.clearCookies();
      const { page, status } = await open(`/experiments/${key}/results`);
      expect(status, `${key} as ${who?.username ?? 'nobody'}`).toBe(json.statusCode);
      expect([401, 403, 404]).toContain(status);
      // A person sees a page saying why, and nothing of the experiment.
      expect(await page.locator('h1').textContent()).toMatch(/^(Sign in|Not allowed|Not found)$/);
      expect(await page.content()).not.toContain(NAME);
      await page.close();
    }
    expectStatus(await world.t.request({ method: 'GET', url: `/v5/experiments/${KEY}/results`, as: world.admin }), 200);
  });
});
