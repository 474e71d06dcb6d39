// The README's picture of the dashboard: a realistic scene in Chromium, with the admin buttons and their requests.

import { copyFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { BreakerRegistry, CircuitBreaker, KeyedBreakers, ManualClock } from '@breakwater/core';
import { dashboardHandler } from '@breakwater/express';
import express from 'express';
import { afterAll, describe, expect, it } from 'vitest';
import { ADMIN_HEADER } from './apps.js';
import { chromiumAvailable, launchChromium, OUTPUT_DIR } from './chromium.js';

const available = chromiumAvailable();
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function calls(breaker: CircuitBreaker, ok: number, failed: number, slowMs = 0): void {
  for (let i = 0; i < ok + failed; i++) {
    const permit = breaker.tryAcquire();
    if (!permit.admitted) return;
    if (slowMs > 0 && breaker.config.clock instanceof ManualClock)
      breaker.config.clock.advance(slowMs);
    if (i < ok) permit.success();
    else permit.failure();
  }
}

describe.skipIf(!available)('the dashboard screenshot', () => {
  it('shows breakers in every state, a keyed family and the admin buttons, which POST per contract', async () => {
    const registry = new BreakerRegistry();
    const searchClock = new ManualClock(0);
    const payments = new CircuitBreaker({
      registry,
      name: 'POST /payments',
      failureRateThreshold: 50,
      minimumCalls: 10,
    });
    const orders = new CircuitBreaker({ registry, name: 'GET /orders/:id', failureThreshold: 5 });
    const search = new CircuitBreaker({
      registry,
      name: 'GET /search',
      clock: searchClock,
      failureRateThreshold: 50,
      slowCallDurationThreshold: 800,
      slowCallRateThreshold: 80,
      minimumCalls: 10,
      openDuration: 10_000,
    });
    const inventory = new CircuitBreaker({ registry, name: 'inventory-db' });
    const tenants = new KeyedBreakers(
      { registry, name: 'tenant', failureThreshold: 3, openDuration: 20_000 },
      100,
    );
    for (const key of [
      'acme',
      'globex',
      'initech',
      'umbrella',
      'hooli',
      'soylent',
      'wayne',
      'stark',
    ])
      tenants.get(key);

    const posted: string[] = [];
    const dashboard = dashboardHandler({
      registry,
      title: 'shop-api',
      adminPath: '/admin/breakwater',
      authorize: (req) => req.get('x-admin-token') === ADMIN_HEADER['x-admin-token'],
    });
    const app = express();
    app.get('/breakwater', dashboard);
    app.post('/admin/breakwater/breakers/:name/:action', (req, res) => {
      posted.push(`${req.method} ${req.originalUrl} ${req.get('x-breakwater-dashboard')}`);
      res.status(204).end();
    });
    const server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(
      () => new Promise((resolve) => (server.closeAllConnections(), server.close(resolve))),
    );
    cleanups.push(() => dashboard.close());
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const browser = await launchChromium();
    cleanups.push(() => browser.close());
    const page = await browser.context.newPage();
    await page.setExtraHTTPHeaders(ADMIN_HEADER);
    await page.goto(`${base}/breakwater`);
    await page.waitForSelector('#status[data-state="live"]');

    // Live traffic: payments fail at 30 % (under its 50 % threshold), orders trip, search opens on
    // slow calls and is half-open by now, a tenant trips, an operator holds inventory open.
    calls(payments, 28, 12);
    calls(orders, 40, 0);
    calls(search, 2, 0);
    calls(search, 0, 10, 900);
    searchClock.advance(10_000);
    void search.state;
    calls(orders, 0, 5);
    inventory.forceOpen();
    for (const key of ['acme', 'globex', 'initech', 'umbrella', 'hooli'])
      calls(tenants.get(key), 6, 0);
    calls(tenants.get('globex'), 0, 3);
    for (let i = 0; i < 7; i++) orders.tryAcquire();

    await page.waitForSelector('.card[data-breaker="GET /orders/:id"][data-state="open"]');
    await page.waitForSelector('.card[data-breaker="GET /search"][data-state="half-open"]');
    await page.waitForSelector('.card[data-breaker="inventory-db"][data-state="forced-open"]');
    await page.locator('details[data-family="tenant"] summary').click();
    await page.waitForSelector(
      'details[data-family="tenant"] .row[data-breaker="tenant:globex"][data-state="open"]',
    );
    expect(await page.locator('details[data-family="tenant"] summary').textContent()).toContain(
      '8 keys: 7 closed, 1 open',
    );
    expect(
      await page.locator('.card[data-breaker="POST /payments"] .meter-label').first().textContent(),
    ).toContain('trips at 50%');
    expect(await page.locator('#transitions li').count()).toBeGreaterThanOrEqual(4);

    mkdirSync(OUTPUT_DIR, { recursive: true });
    await page.screenshot({ path: `${OUTPUT_DIR}/readme.png`, fullPage: true });
    if (process.env.UPDATE_SCREENSHOT === '1') {
      mkdirSync(fileURLToPath(new URL('../../docs', import.meta.url)), { recursive: true });
      copyFileSync(
        `${OUTPUT_DIR}/readme.png`,
        new URL('../../docs/dashboard.png', import.meta.url),
      );
    }
    await page.locator('.card[data-breaker="GET /orders/:id"] button[data-action="reset"]').click();
    await expect
      .poll(() => posted)
      .toEqual(['POST /admin/breakwater/breakers/GET%20%2Forders%2F%3Aid/reset 1']);

    tenants.close();
  });
});
