// Express-specific behaviour: route names under a mounted router, the app-wide fallback name, cache keys.

import { BreakerRegistry } from '@breakwater/core';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { serveForTest } from '@breakwater/test-support';
import { circuitBreaker } from './index.js';

async function get(app: express.Express, path: string): Promise<Response> {
  return fetch(`${await serveForTest(app)}${path}`);
}

describe('@breakwater/express', () => {
  it('names a per-route breaker after the route, router mount path included', async () => {
    const registry = new BreakerRegistry();
    const app = express();
    const router = express.Router();
    router.get('/users/:id', circuitBreaker({ registry }), (_req, res) => void res.send('u'));
    app.use('/api', router);
    const res = await get(app, '/api/users/7');
    expect(res.headers.get('x-circuit-breaker-state')).toBe('closed');
    expect(registry.list().map((b) => b.name)).toEqual(['GET /api/users/:id']);
  });

  it('declares the mount prefix as the scope of a breaker mounted with app.use(prefix)', async () => {
    const registry = new BreakerRegistry();
    const app = express();
    const billing = express.Router();
    billing.get('/invoices/:id', (_req, res) => void res.status(500).send('down'));
    billing.get('/plans', (_req, res) => void res.send('plans'));
    app.use(
      '/billing',
      circuitBreaker({ registry, name: 'billing', failureThreshold: 1 }),
      billing,
    );
    const url = await serveForTest(app);
    expect((await fetch(`${url}/billing/invoices/7`)).status).toBe(500);
    const rejected = await fetch(`${url}/billing/plans`);
    expect(rejected.status).toBe(503);
    expect(rejected.headers.get('x-circuit-breaker-scope')).toBe('* /billing/*');
    expect(((await rejected.json()) as { scope: unknown }).scope).toEqual({
      methods: '*',
      path: '/billing/*',
    });
  });

  it('stamps and records through the app prototype hook, adding no property to the response', async () => {
    const registry = new BreakerRegistry();
    const app = express();
    let ownKeys: (string | symbol)[] = [];
    app.get('/x', circuitBreaker({ registry, name: 'x', failureThreshold: 1 }), (_req, res) => {
      ownKeys = Reflect.ownKeys(res);
      res.status(500).send('down');
    });
    const res = await get(app, '/x');
    expect(res.status).toBe(500);
    expect(res.headers.get('x-circuit-breaker-state')).toBe('closed');
    expect(ownKeys).not.toContain('writeHead');
    expect(
      ownKeys.filter((k) => typeof k === 'symbol' && String(k).includes('breakwater')),
    ).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(registry.get('x')!.state).toBe('open');
    expect((await get(app, '/x')).status).toBe(503);
  });

  it('nested guards (app.use and a route) both stamp and record', async () => {
    const registry = new BreakerRegistry();
    const app = express();
    app.use(circuitBreaker({ registry, name: 'outer' }));
    app.get('/y', circuitBreaker({ registry, name: 'inner', failureThreshold: 1 }), (_req, res) => {
      res.status(502).send('bad gateway');
    });
    const res = await get(app, '/y');
    expect(res.status).toBe(502);
    expect(res.headers.get('x-circuit-breaker-state')).toBe('closed');
    await new Promise((resolve) => setImmediate(resolve));
    expect(registry.get('inner')!.state).toBe('open');
    expect(registry.get('outer')!.snapshot().totals.failure).toBe(1);
    const rejected = await get(app, '/y');
    expect(rejected.status).toBe(503);
    expect(registry.get('outer')!.snapshot().totals.failure).toBe(1); // the inner 503 is not the outer's failure
  });

  it('uses one breaker-N breaker for an app.use() middleware', async () => {
    const registry = new BreakerRegistry();
    const app = express();
    app.use(circuitBreaker({ registry }));
    app.get('/a', (_req, res) => void res.send('a'));
    app.get('/b', (_req, res) => void res.send('b'));
    await get(app, '/a');
    await get(app, '/b');
    expect(registry.list().map((b) => b.name)).toEqual([expect.stringMatching(/^breaker-\d+$/)]);
  });

  it('keys cached responses on the original URL, not the one a mounted router rewrote', async () => {
    const registry = new BreakerRegistry();
    const app = express();
    for (const prefix of ['/a', '/b']) {
      const router = express.Router();
      router.use(circuitBreaker({ registry, name: 'shared', cache: true }));
      router.get('/page', (_req, res) => void res.send(`page ${prefix}`));
      app.use(prefix, router);
    }
    const base = await serveForTest(app);
    const text = async (path: string) => (await fetch(`${base}${path}`)).text();
    await text('/a/page');
    await text('/b/page');
    registry.get('shared')!.forceOpen();
    expect(await text('/a/page')).toBe('page /a');
    expect(await text('/b/page')).toBe('page /b');
  });
});
