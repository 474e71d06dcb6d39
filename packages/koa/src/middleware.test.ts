// Koa-specific behaviour: route names from @koa/router, errors recorded and rethrown, cache keys.

import { createServer } from 'node:http';
import Router from '@koa/router';
import { BreakerRegistry } from '@breakwater/core';
import Koa from 'koa';
import { afterEach, describe, expect, it } from 'vitest';
import { circuitBreaker } from './index.js';

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

async function get(app: Koa, path: string): Promise<Response> {
  const server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => {
    server.closeAllConnections();
    server.close();
  });
  const { port } = server.address() as { port: number };
  return fetch(`http://127.0.0.1:${port}${path}`);
}

describe('@breakwater/koa', () => {
  it('names a per-route breaker after the router pattern, prefix included', async () => {
    const registry = new BreakerRegistry();
    const app = new Koa();
    const router = new Router({ prefix: '/api' });
    router.get('/users/:id', circuitBreaker({ registry }), (ctx) => {
      ctx.body = 'u';
    });
    app.use(router.routes());
    const res = await get(app, '/api/users/7');
    expect(res.headers.get('x-circuit-breaker-state')).toBe('closed');
    expect(registry.list().map((b) => b.name)).toEqual(['GET /api/users/:id']);
  });

  it('records a thrown error with the error itself and rethrows it to Koa', async () => {
    const registry = new BreakerRegistry();
    const seen: unknown[] = [];
    const app = new Koa();
    app.silent = true;
    const thrown = new Error('db down');
    app.use(async (ctx, next) => {
      try {
        await next();
      } catch (error) {
        seen.push(error);
        ctx.status = 502;
      }
    });
    app.use(
      circuitBreaker({
        registry,
        isFailure: (outcome) => outcome.error === thrown,
        failureThreshold: 1,
      }),
    );
    app.use(() => {
      throw thrown;
    });
    const res = await get(app, '/');
    expect(res.status).toBe(502);
    expect(res.headers.get('x-circuit-breaker-state')).toBe('open');
    expect(seen).toEqual([thrown]);
    expect(registry.list()[0]!.state).toBe('open');
  });

  it('keys cached responses on the original URL when a mount rewrote ctx.path', async () => {
    const registry = new BreakerRegistry();
    const app = new Koa();
    app.use((ctx, next) => {
      const [, prefix, rest] = /^\/(a|b)(\/.*)$/.exec(ctx.path) ?? [];
      ctx.state.prefix = prefix;
      ctx.path = rest ?? ctx.path; // what koa-mount does
      return next();
    });
    app.use(circuitBreaker({ registry, name: 'mounted', cache: true }));
    app.use((ctx) => {
      ctx.body = `page ${String(ctx.state.prefix)}`;
    });
    const server = createServer(app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => {
      server.closeAllConnections();
      server.close();
    });
    const { port } = server.address() as { port: number };
    const text = async (path: string) => (await fetch(`http://127.0.0.1:${port}${path}`)).text();
    await text('/a/page');
    await text('/b/page');
    registry.get('mounted')!.forceOpen();
    expect(await text('/a/page')).toBe('page a');
    expect(await text('/b/page')).toBe('page b');
  });
});
