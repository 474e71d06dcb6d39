// Launches Debian's headless Chromium for the dashboard tests, in a fresh temporary profile.

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';

/** Where Debian's `chromium` package puts the browser (never downloaded through npm). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where the screenshots go (the tests' output directory, ignored by git). */
export const OUTPUT_DIR: string = fileURLToPath(
  new URL('../../.test-report/dashboard', import.meta.url),
);

/** Whether the browser is there; in CI it must be. */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI) throw new Error(`${CHROMIUM} is missing; in CI the dashboard tests must run`);
  console.warn(
    `\nSKIPPED: the dashboard browser tests (no Chromium at ${CHROMIUM}).\n` +
      'Install it with `apt-get install -y chromium`, or set CHROMIUM_PATH.\n',
  );
  return false;
}

/** A headless browser context on a new temporary profile; `close()` removes the profile. */
export async function launchChromium(): Promise<{
  context: BrowserContext;
  close: () => Promise<void>;
}> {
  const profile = mkdtempSync(join(tmpdir(), 'breakwater-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 860 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      try {
        rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
      } catch {
        // A throw-away profile left in the temp folder is not the test's failure.
      }
    },
  };
}
