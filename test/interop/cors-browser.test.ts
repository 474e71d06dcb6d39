// Headless Chromium on another origin reads a Breakwater 503 through cors(), preflights included.

import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { chromiumAvailable, launchChromium } from '../dashboard/chromium.js';
import { type CorsSetup, REQUEST_ID, startCorsSetup } from './cors-app.js';

// Without Chromium this skips with a message (the helper's, plus ours); in CI the helper throws.
const available = chromiumAvailable();
if (!available) console.warn('SKIPPED: the CORS browser tests of test/interop as well.\n');
let browser: { context: BrowserContext; close: () => Promise<void> } | undefined;

beforeAll(async () => {
  if (available) browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

/** What the page's script can see of one cross-origin response. */
interface Seen {
  readonly status: number;
  readonly retryAfter: string | null;
  readonly state: string | null;
  readonly requestId: string | null;
}

/** Fetches `url` from inside the page (so from its origin) and reads what CORS lets it read. */
function fetchFromPage(
  page: Page,
  url: string,
  headers: Record<string, string> = {},
): Promise<Seen> {
  return page.evaluate(
    async ({ url, headers, requestId }) => {
      const res = await fetch(url, { headers });
      await res.text();
      return {
        status: res.status,
        retryAfter: res.headers.get('Retry-After'),
        state: res.headers.get('X-Circuit-Breaker-State'),
        requestId: res.headers.get(requestId),
      };
    },
    { url, headers, requestId: REQUEST_ID },
  );
}

/** The page, opened on its own origin. */
async function openPage(setup: CorsSetup): Promise<Page> {
  const page = await browser!.context.newPage();
  onTestFinished(() => page.close());
  await page.goto(setup.page);
  return page;
}

/** Trips the breaker from the page with two failures; the next call is short-circuited. */
async function tripFromPage(page: Page, setup: CorsSetup): Promise<void> {
  setup.down = true;
  for (let i = 0; i < 2; i++)
    expect((await fetchFromPage(page, `${setup.api}/data`)).status).toBe(500);
  expect(setup.breaker.state).toBe('open');
  setup.exchanges.length = 0;
}

/** The last response the API sent, as it went on the wire. */
function lastSent(setup: CorsSetup): Required<CorsSetup['exchanges'][number]> {
  const exchange = setup.exchanges.at(-1);
  if (exchange?.status === undefined || exchange.headers === undefined)
    throw new Error('nothing sent');
  return exchange as Required<typeof exchange>;
}

describe.skipIf(!available)('cors() in front of @breakwater/express, seen from Chromium', () => {
  it('lets a cross-origin page read Retry-After, the breaker state and the app header on a 503', async () => {
    const setup = await startCorsSetup(false);
    const page = await openPage(setup);
    expect(new URL(setup.page).origin).not.toBe(new URL(setup.api).origin);

    const healthy = await fetchFromPage(page, `${setup.api}/data`);
    expect(healthy.status).toBe(200);
    expect(healthy.requestId).toBe(lastSent(setup).headers['x-request-id']);

    await tripFromPage(page, setup);
    const seen = await fetchFromPage(page, `${setup.api}/data`);
    const sent = lastSent(setup);

    expect(seen.status).toBe(503);
    expect(sent.status).toBe(503);
    expect(seen.retryAfter).toBe(sent.headers['retry-after']);
    expect(Number(seen.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(seen.state).toBe('open');
    expect(seen.requestId).toBe(sent.headers['x-request-id']);
    expect(seen.requestId).toMatch(/^req-\d+$/);
    // Our two names merged with the app's own, not replacing it.
    const exposed = sent.headers['access-control-expose-headers']!.split(/\s*,\s*/).map((h) =>
      h.toLowerCase(),
    );
    expect(exposed).toEqual(
      expect.arrayContaining(['x-request-id', 'retry-after', 'x-circuit-breaker-state']),
    );
    expect(sent.headers['access-control-allow-origin']).toBe(new URL(setup.page).origin);
  });

  describe.each([
    { who: 'cors() itself', preflightContinue: false },
    { who: 'the app, after cors() hands it on through the open breaker', preflightContinue: true },
  ])('while the breaker is open, a preflight is answered by $who', ({ preflightContinue }) => {
    it('with 204, and the non-simple request after it gets a readable 503', async () => {
      const setup = await startCorsSetup(preflightContinue);
      const page = await openPage(setup);
      await tripFromPage(page, setup);
      const rejectedBefore = setup.breaker.snapshot().totals.rejected;

      // A custom request header makes the request non-simple: Chromium preflights it first.
      const seen = await fetchFromPage(page, `${setup.api}/data`, { 'X-Trace': 'interop' });

      const preflights = setup.exchanges.filter((e) => e.preflight);
      expect(preflights).toHaveLength(1);
      expect(preflights[0]!.status).toBe(204);
      expect(preflights[0]!.headers!['access-control-allow-headers']?.toLowerCase()).toContain(
        'x-trace',
      );
      expect(setup.exchanges.map((e) => `${e.method} ${e.status}`)).toEqual([
        'OPTIONS 204',
        'GET 503',
      ]);
      expect(seen).toEqual({
        status: 503,
        retryAfter: lastSent(setup).headers['retry-after'],
        state: 'open',
        requestId: lastSent(setup).headers['x-request-id'],
      });
      // Only the GET was short-circuited; the preflight was neither gated nor recorded.
      expect(setup.breaker.snapshot().totals.rejected).toBe(rejectedBefore + 1);
      expect(setup.breaker.state).toBe('open');
    });
  });
});
