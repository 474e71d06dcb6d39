// The client bundle in headless Chromium: a page on one 127.0.0.1 port calls a CORS API on another, and backs off by scope.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ORIGIN_SCOPE, formatScope, routeScope } from '@breakwater/core/adapter';
import { serveForTest } from '@breakwater/test-support';
import { scopeServer } from './scope-server.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available && process.env.CI) {
  throw new Error(
    `No Chromium at ${CHROMIUM}: in CI the browser test must run (apt-get install -y chromium).`,
  );
}
const CLIENT_ENTRY = fileURLToPath(new URL('../../packages/client/src/index.ts', import.meta.url));

/** The client as one ESM file, built from its sources. */
async function clientBundle(): Promise<string> {
  const result = await build({
    entryPoints: [CLIENT_ENTRY],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

/** The page: runs the scenario against two APIs and posts what it saw back to its own origin. */
function page(scoped: string, unexposed: string): string {
  return `<!doctype html><meta charset="utf-8"><title>breakwater client</title><script type="module">
import { createFetch, isShortCircuit } from '/client.js';
const seen = async (fetch, url, init) => {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, local: isShortCircuit(res), scope: res.headers.get('X-Circuit-Breaker-Scope'),
    state: res.headers.get('X-Circuit-Breaker-State'), retryAfter: res.headers.get('Retry-After'), body: text };
};
const report = (value) => fetch('/report', { method: 'POST', body: JSON.stringify(value) });
try {
  const fetch = createFetch();
  const scoped = {
    first: await seen(fetch, ${JSON.stringify(`${scoped}/users/1`)}),
    sameRoute: await seen(fetch, ${JSON.stringify(`${scoped}/users/2`)}),
    otherRoute: await seen(fetch, ${JSON.stringify(`${scoped}/orders/1`)}),
    otherMethod: await seen(fetch, ${JSON.stringify(`${scoped}/users/2`)}, { method: 'DELETE' }),
    snapshot: fetch.scopeState(${JSON.stringify(`${scoped}/users/3`)}),
  };
  const unexposed = {
    first: await seen(fetch, ${JSON.stringify(`${unexposed}/users/1`)}),
    otherRoute: await seen(fetch, ${JSON.stringify(`${unexposed}/orders/1`)}),
  };
  await report({ scoped, unexposed });
} catch (error) {
  await report({ error: String(error && error.stack || error) });
}
</script>`;
}

/** Reads a request body as text. */
function bodyOf(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}

/** Starts Chromium on `url` (headless, no sandbox, no background traffic, a throw-away profile); stopped when the test ends. */
function launchChromium(url: string): void {
  const profile = mkdtempSync(join(tmpdir(), 'breakwater-chromium-'));
  const child = spawn(
    CHROMIUM,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-default-apps',
      '--disable-extensions',
      '--no-first-run',
      '--no-default-browser-check',
      `--user-data-dir=${profile}`,
      url,
    ],
    // Its own process group, so that the browser's helper processes end with it.
    { stdio: 'ignore', detached: true },
  );
  onTestFinished(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      process.kill(-child.pid!, 'SIGTERM');
      await exited;
    }
    try {
      // Helper processes may still be writing the profile for a moment after the browser exits.
      rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    } catch {
      // A throw-away profile left in the temp folder is not the test's failure.
    }
  });
}

describe.skipIf(!available)('the client in headless Chromium', () => {
  it('backs off only from the route scope a cross-origin server declares and exposes', async () => {
    const bundle = await clientBundle();
    const exposed = 'Retry-After, X-Circuit-Breaker-State, X-Circuit-Breaker-Scope';
    let resolveReport!: (text: string) => void;
    const reported = new Promise<string>((resolve) => (resolveReport = resolve));
    const pageUrl = await serveForTest((req: IncomingMessage, res: ServerResponse) => {
      if (req.method === 'POST' && req.url === '/report') {
        void bodyOf(req).then((text) => {
          res.writeHead(204).end();
          resolveReport(text);
        });
        return;
      }
      if (req.url === '/client.js') {
        res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(bundle);
        return;
      }
      if (req.url === '/') {
        res.writeHead(200, { 'Content-Type': 'text/html' }).end(page(scoped.url, unexposed.url));
        return;
      }
      res.writeHead(404).end();
    });
    const pageOrigin = new URL(pageUrl).origin;
    const cors = (expose: string) => ({
      'Access-Control-Allow-Origin': pageOrigin,
      'Access-Control-Expose-Headers': expose,
      Vary: 'Origin',
    });
    const scoped = await scopeServer(cors(exposed));
    // A server whose CORS setup leaves the scope header out: the browser hides it, so the client backs
    // off by origin (its `scope` option), as it does for any server that declares nothing.
    const unexposed = await scopeServer(cors('Retry-After, X-Circuit-Breaker-State'));
    scoped.open(routeScope('GET', '/users/:id'), 30_000);
    unexposed.open(routeScope('GET', '/users/:id'), 30_000);

    launchChromium(`${pageUrl}/`);
    const text = await Promise.race([
      reported,
      new Promise<string>((_, reject) =>
        setTimeout(() => reject(new Error('the page did not report within 15 s')), 15_000).unref(),
      ),
    ]);
    const result = JSON.parse(text);
    expect(result.error).toBeUndefined();
    const { scoped: s, unexposed: u } = result;

    expect(s.first).toMatchObject({
      status: 503,
      local: false,
      scope: 'GET,HEAD /users/:id',
      state: 'open',
    });
    expect(s.sameRoute).toMatchObject({ status: 503, local: true, scope: 'GET,HEAD /users/:id' });
    expect(JSON.parse(s.sameRoute.body).scope).toEqual({
      methods: ['GET', 'HEAD'],
      path: '/users/:id',
    });
    expect(Number(s.sameRoute.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(s.sameRoute.retryAfter)).toBeLessThanOrEqual(30);
    expect(s.otherRoute).toMatchObject({ status: 200, local: false, body: 'ok /orders/1' });
    expect(s.otherMethod).toMatchObject({ status: 200, local: false });
    expect(s.snapshot).toMatchObject({ state: 'open', serverScope: { path: '/users/:id' } });
    expect(scoped.hits).toEqual(['GET /users/1', 'GET /orders/1', 'DELETE /users/2']);

    expect(u.first).toMatchObject({ status: 503, local: false, scope: null });
    expect(u.otherRoute).toMatchObject({
      status: 503,
      local: true,
      scope: formatScope(ORIGIN_SCOPE),
    });
    expect(unexposed.hits).toEqual(['GET /users/1']);
  });
});
