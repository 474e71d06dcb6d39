// The dashboard page in headless Chromium on each adapter: it renders, shows a trip live, refuses strangers, bounds streams.

import { mkdirSync } from 'node:fs';
import { BreakerRegistry } from '@breakwater/core';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_HEADER, apps, type AppSetup, type RunningApp } from './apps.js';
import { chromiumAvailable, launchChromium, OUTPUT_DIR } from './chromium.js';

const available = chromiumAvailable();
let browser: { context: BrowserContext; close: () => Promise<void> } | undefined;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  if (!available) return;
  mkdirSync(OUTPUT_DIR, { recursive: true });
  browser = await launchChromium();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

afterAll(async () => {
  await browser?.close();
});

async function open(
  app: RunningApp,
  headers: Record<string, string> = ADMIN_HEADER,
): Promise<Page> {
  const page = await browser!.context.newPage();
  cleanups.push(() => page.close());
  await page.setExtraHTTPHeaders(headers);
  return page;
}

async function start(
  startApp: (s: AppSetup) => Promise<RunningApp>,
  maxClients = 4,
): Promise<{ app: RunningApp; setup: AppSetup }> {
  const setup: AppSetup = { registry: new BreakerRegistry(), maxClients, status: 200 };
  const app = await startApp(setup);
  cleanups.push(() => app.close());
  return { app, setup };
}

describe.skipIf(!available).each(apps)(
  '$name: the dashboard page in Chromium',
  ({ name, start: startApp }) => {
    it('renders every breaker and shows a trip within a second, without a reload', async () => {
      const { app, setup } = await start(startApp);
      expect((await fetch(`${app.base}/orders`)).status).toBe(200); // the breaker exists now

      const page = await open(app);
      const response = await page.goto(`${app.base}/breakwater`);
      expect(response?.status()).toBe(200);
      await page.waitForSelector('body[data-ready="true"]');
      await page.waitForSelector('#status[data-state="live"]');
      await page.waitForSelector('[data-breaker="orders"][data-state="closed"]');
      await page.evaluate(() => ((globalThis as { loadedOnce?: boolean }).loadedOnce = true));

      setup.status = 500;
      for (let i = 0; i < 2; i++) expect((await fetch(`${app.base}/orders`)).status).toBe(500);
      expect((await fetch(`${app.base}/orders`)).status).toBe(503);

      await page.waitForSelector('.card[data-breaker="orders"][data-state="open"]', {
        timeout: 1_000,
      });
      const card = page.locator('.card[data-breaker="orders"]');
      expect(await card.locator('.countdown').textContent()).toMatch(
        /admits a probe in \d+(\.\d)? s/,
      );
      expect(await card.textContent()).toContain('closed → open');
      expect(
        await page.locator('#transitions li[data-breaker="orders"]').first().textContent(),
      ).toContain('failure-threshold');
      expect(await page.evaluate(() => (globalThis as { loadedOnce?: boolean }).loadedOnce)).toBe(
        true,
      );
      await page.screenshot({ path: `${OUTPUT_DIR}/${name}.png`, fullPage: true });
    });

    it('answers 403 to a browser that authorize refuses, and opens no stream', async () => {
      const { app, setup } = await start(startApp);
      const page = await open(app, { 'x-admin-token': 'wrong' });
      const response = await page.goto(`${app.base}/breakwater`);
      expect(response?.status()).toBe(403);
      expect(await page.textContent('body')).toContain('Forbidden');
      const events = await fetch(`${app.base}/breakwater?events`);
      expect(events.status).toBe(403);
      expect(app.clients()).toBe(0);
      // nobody listens to the breakers (internal channels, not in the published types)
      const registry = setup.registry as unknown as Record<
        'stateChangeEvents' | 'callEvents',
        { readonly active: boolean }
      >;
      expect(registry.stateChangeEvents.active || registry.callEvents.active).toBe(false);
    });

    it('holds the bound on live streams: a page past it shows it is disconnected', async () => {
      const { app } = await start(startApp, 1);
      const first = await open(app);
      await first.goto(`${app.base}/breakwater`);
      await first.waitForSelector('#status[data-state="live"]');
      const second = await open(app);
      await second.goto(`${app.base}/breakwater`);
      await second.waitForSelector('#status[data-state="down"]');
      expect(app.clients()).toBe(1);
      const extra = await fetch(`${app.base}/breakwater?events`, { headers: ADMIN_HEADER });
      expect(extra.status).toBe(503);
      await first.close();
      await expect.poll(() => app.clients()).toBe(0);
    });
  },
);
