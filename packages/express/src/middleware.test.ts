// Express-specific behaviour: route names under a mounted router, the app-wide fallback name, cache keys.

import { createServer } from 'node:http';
import { BreakerRegistry } from '@breakwater/core';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { circuitBreaker } from './index.js';

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

async function get(app: express.Express, path: string): Promise<Response> {
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => {
    server.closeAllConnections();
    server.close();
  });
  const { port } = server.address() as { port: number };
  return fetch(`http://127.0.0.1:${port}${path}`);
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
    const server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => {
      server.closeAllConnections();
      server.close();
    });
    const { port } = server.address() as { port: number };
    const text = async (path: string) => (await fetch(`http://127.0.0.1:${port}${path}`)).text();
    await text('/a/page');
    await text('/b/page');
    registry.get('shared')!.forceOpen();
    expect(await text('/a/page')).toBe('page /a');
    expect(await text('/b/page')).toBe('page /b');
  });
});
