// The web app end to end in Chromium (playwright-core with Debian's /usr/bin/chromium), served by
// the real server from the real build (web/dist; built first when missing or stale): a newcomer
// signs up, creates a board, uploads a pin and opens its close-up, finds it with the search box
// (not a secret one),
// saves someone else's pin, follows and unfollows them, sees one "not found" page for a hidden and a
// missing pin, and logs out for good; the page logs no console error (a violation of the page's
// Content-Security-Policy is one). Missing Chromium: skipped locally, failing under CI=true.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchChromium, skipWithoutChromium, type HeadlessChromium } from '../support/chromium.js';
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.js';
import { MISSING_ID, pngBase64 } from '../support/fixtures.js';
import { freePort } from '../../bench/processes.js';

const skip = skipWithoutChromium('web app browser test');
const ROOT = path.resolve(import.meta.dirname, '../..');
const PICTURE = path.join(ROOT, 'docs', 'birdhouse.png');

let t: TestApp;
let maya: TestUser;
let base: string;
let browser: HeadlessChromium | undefined;
let page: Page;
const errors: string[] = [];
const world = { mayaPin: '', hiddenPin: '' };

async function v5<T>(method: 'POST' | 'GET', url: string, as: TestUser, payload?: object): Promise<T> {
  const reply = await t.request({ method, url, as, ...(payload ? { payload } : {}) });
  if (reply.statusCode >= 300) throw new Error(`${method} ${url}: ${reply.statusCode} ${reply.body}`);
  return reply.json<T>();
}

/** A pin of Maya's, with a picture of its own (search shows one card per picture). */
async function pinOn(board: string, title: string): Promise<string> {
  const data = await pngBase64(64);
  const pin = await v5<{ id: string }>('POST', '/v5/pins', maya, {
    board_id: board,
    title,
    media_source: { source_type: 'image_base64', content_type: 'image/png', data },
  });
  return pin.id;
}

/** The text of the screen under the header. */
const screenText = () => page.locator('.page').innerText();

describe.skipIf(skip)(`the web app in Chromium${skip ? ' (skipped: no Chromium)' : ''}`, () => {
  beforeAll(async () => {
    // The build the server serves; a no-op when web/dist is a build of the current sources.
    const built = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build-web.mjs')], { cwd: ROOT, encoding: 'utf8' });
    if (built.status !== 0) throw new Error(`the web app did not build: ${built.stderr}`);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    // Image URLs name the server by PUBLIC_BASE_URL: the address the browser reaches.
    t = await createTestApp({ PUBLIC_BASE_URL: base });
    maya = await t.signUp('maya');
    const birds = await v5<{ id: string }>('POST', '/v5/boards', maya, { name: 'Birds', privacy: 'PUBLIC' });
    const hidden = await v5<{ id: string }>('POST', '/v5/boards', maya, { name: 'Surprises', privacy: 'SECRET' });
    world.mayaPin = await pinOn(birds.id, 'Blue birdhouse');
    world.hiddenPin = await pinOn(hidden.id, 'Secret lamp');
    await t.app.listen({ host: '127.0.0.1', port });
    browser = await launchChromium({ width: 1280, height: 800 });
    page = await browser.context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`${page.url()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('signs a newcomer up, who creates a board, uploads a pin and opens its close-up', async () => {
    await page.goto(`${base}/`);
    await page.getByRole('heading', { name: 'Log in to Corkboard' }).waitFor();
    await page.getByRole('link', { name: 'Sign up' }).click();
    await page.getByLabel('Username', { exact: true }).fill('pia');
    await page.getByLabel('Email', { exact: true }).fill('pia@example.test');
    await page.getByLabel('Password', { exact: true }).fill('pw-pia-secret');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByRole('link', { name: 'Your profile (pia)' }).click();
    await page.getByRole('heading', { name: 'pia', level: 1 }).waitFor();

    await page.getByRole('button', { name: 'Create board' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Garden ideas');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByRole('heading', { name: 'Garden ideas', level: 1 }).waitFor();
    expect(page.url()).toMatch(/\/board\/\d+$/);

    await page.getByRole('link', { name: 'Create', exact: true }).click();
    await page.getByRole('heading', { name: 'Create pin' }).waitFor();
    await page.getByLabel('Image', { exact: true }).setInputFiles(PICTURE);
    await page.getByRole('img', { name: 'Preview of the image to pin' }).waitFor();
    await page.getByLabel('Title', { exact: true }).fill('My birdhouse');
    await page.getByLabel('Description', { exact: true }).fill('Cedar, painted blue');
    expect(await page.getByLabel('Board', { exact: true }).inputValue()).not.toBe('');
    await page.getByRole('button', { name: 'Create pin' }).click();
    await page.getByRole('heading', { name: 'My birdhouse', level: 1 }).waitFor();
    expect(page.url()).toMatch(/\/pin\/\d+$/);
    // The uploaded image is shown, at the size the API gave before it arrived.
    const image = page.locator('.closeup-image img');
    await expect.poll(() => image.evaluate((img: { complete: boolean; naturalWidth: number }) => (img.complete ? img.naturalWidth : 0))).toBeGreaterThan(0);
    expect(await screenText()).toContain('Cedar, painted blue');
    expect(await screenText()).toContain('On Garden ideas');
    expect(errors).toEqual([]);
  });

  it("finds the new pin and someone else's with the search box and its typeahead, never a secret one", async () => {
    const search = page.getByRole('searchbox');
    // Typeahead: what public pins are called, beginning with what was typed.
    await search.fill('bird');
    const suggestion = page.getByRole('list', { name: 'Suggestions' }).getByRole('button').filter({ hasText: /^bird/i }).first();
    await suggestion.waitFor();
    const words = (await suggestion.innerText()).trim();
    await suggestion.click();
    await page.getByRole('heading', { name: `Pins matching “${words}”` }).waitFor();
    await search.fill('birdhouse');
    await search.press('Enter');
    await page.getByRole('heading', { name: 'Pins matching “birdhouse”' }).waitFor();
    await page.getByRole('link', { name: 'My birdhouse' }).waitFor();
    await page.getByRole('link', { name: 'Blue birdhouse' }).waitFor();
    await search.fill('lamp');
    await search.press('Enter');
    await page.getByRole('heading', { name: 'Pins matching “lamp”' }).waitFor();
    await page.getByText('No pins found. Try other words.').waitFor();
    expect(errors).toEqual([]);
  });

  it("opens someone else's pin from their profile and saves it onto a board", async () => {
    await page.goto(`${base}/user/maya`);
    await page.getByRole('heading', { name: 'maya', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Blue birdhouse' }).click();
    await page.getByRole('heading', { name: 'Blue birdhouse', level: 1 }).waitFor();
    expect(page.url()).toBe(`${base}/pin/${world.mayaPin}`);
    expect(await screenText()).toContain('On Birds');
    await page.getByRole('heading', { name: 'More to explore' }).waitFor();

    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Garden ideas' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved to Garden ideas' }).waitFor();
    const saves = await t.container.db.selectFrom('pins').select('id').where('parent_pin_id', '=', world.mayaPin).execute();
    expect(saves).toHaveLength(1);

    await page.getByRole('status').getByRole('link', { name: 'Garden ideas' }).click();
    await page.getByRole('heading', { name: 'Garden ideas', level: 1 }).waitFor();
    await expect.poll(() => page.locator('.pin-card').count()).toBe(2);
    expect(errors).toEqual([]);
  });

  it('follows and unfollows from a profile, and the choice holds after a reload', async () => {
    await page.goto(`${base}/user/maya`);
    const followers = page.getByTestId('follower-count');
    await page.getByRole('button', { name: 'Follow', exact: true }).click();
    await page.getByRole('button', { name: 'Unfollow' }).waitFor();
    expect(await followers.innerText()).toBe('1 follower');
    await page.reload();
    await page.getByRole('button', { name: 'Unfollow' }).click();
    await page.getByRole('button', { name: 'Follow', exact: true }).waitFor();
    expect(await followers.innerText()).toBe('0 followers');
    await page.reload();
    await page.getByRole('button', { name: 'Follow', exact: true }).waitFor();
    expect(errors).toEqual([]);
  });

  it('shows the same not-found page for a pin on a secret board and for a missing pin', async () => {
    await page.goto(`${base}/pin/${world.hiddenPin}`);
    await page.getByRole('heading', { name: "Sorry, we couldn't find that page" }).waitFor();
    const hidden = await screenText();
    await page.goto(`${base}/pin/${MISSING_ID}`);
    await page.getByRole('heading', { name: "Sorry, we couldn't find that page" }).waitFor();
    expect(await screenText()).toBe(hidden);
    expect(hidden).not.toContain('Secret lamp');
    expect(errors).toEqual([]);
  });

  it('logs out: the session is revoked, and a reload asks to log in again', async () => {
    await page.goto(`${base}/`);
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in to Corkboard' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Log in to Corkboard' }).waitFor();
    const sessions = await t.container.db.selectFrom('sessions').select(['revoked_at']).execute();
    expect(sessions.length).toBeGreaterThan(0);
    expect(sessions.every((session) => session.revoked_at !== null)).toBe(true);
    // Logging in again works from the same form.
    await page.getByLabel('Username', { exact: true }).fill('pia');
    await page.getByLabel('Password', { exact: true }).fill('pw-pia-secret');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('link', { name: 'Your profile (pia)' }).waitFor();
    expect(errors).toEqual([]);
  });
});
