// Debian's Chromium driven by playwright-core, for the tests that check pages in a real browser.
// Without /usr/bin/chromium those tests are skipped locally and fail under CI=true (CI installs it).
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** Whether `suite` must be skipped (no Chromium, not in CI); warns once when it is. */
export function skipWithoutChromium(suite: string): boolean {
  const skip = !existsSync(CHROMIUM) && process.env.CI !== 'true';
  if (skip) console.warn(`${suite} SKIPPED: ${CHROMIUM} is not installed (apt-get install chromium); under CI=true it fails instead`);
  return skip;
}

export interface HeadlessChromium {
  context: BrowserContext;
  /** Closes the browser and removes its profile. */
  close(): Promise<void>;
}

/** A headless Chromium with a throwaway profile; throws when Chromium is not installed. */
export async function launchChromium(viewport: { width: number; height: number }): Promise<HeadlessChromium> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is not installed; CI=true needs it (apt-get install chromium)`);
  const userDataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'corkboard-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport,
    });
    return {
      context,
      close: async () => {
        await context.close();
        await fs.rm(userDataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await fs.rm(userDataDir, { recursive: true, force: true });
    throw error;
  }
}
