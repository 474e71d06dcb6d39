// Koa-specific behaviour: route names from @koa/router, errors recorded and rethrown, cache keys.

import Router from '@koa/router';
import { BreakerRegistry } from '@breakwater/core';
import Koa from 'koa';
import { describe, expect, it } from 'vitest';
import { serveForTest } from '@breakwater/test-support';
import { circuitBreaker } from './index.js';

async function get(app: Koa, path: string): Promise<Response> {
  return fetch(`${await serveForTest(app.callback())}${path}`);
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
    // judged as the head goes out: the header carries the state before this call's own outcome
    expect(res.headers.get('x-circuit-breaker-state')).toBe('closed');
    expect(seen).toEqual([thrown]);
    expect(registry.list()[0]!.state).toBe('open');
  });

  it("lets an outer guard ignore an inner guard's short-circuit (app.use and a route)", async () => {
    const registry = new BreakerRegistry();
    const app = new Koa();
    const router = new Router();
    router.get('/y', circuitBreaker({ registry, name: 'inner', failureThreshold: 1 }), (ctx) => {
      ctx.status = 502;
      ctx.body = 'bad gateway';
    });
    app.use(circuitBreaker({ registry, name: 'outer' }));
    app.use(router.routes());
    expect((await get(app, '/y')).status).toBe(502);
    await new Promise((resolve) => setImmediate(resolve));
    expect(registry.get('inner')!.state).toBe('open');
    expect(registry.get('outer')!.snapshot().totals.failure).toBe(1);
    const rejected = await get(app, '/y');
    expect(rejected.status).toBe(503);
    await new Promise((resolve) => setImmediate(resolve));
    const outer = registry.get('outer')!.snapshot().totals;
    expect(outer.failure).toBe(1); // the inner 503 is neither a failure of the outer breaker
    expect(outer.success).toBe(0); // nor a success
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
    const base = await serveForTest(app.callback());
    const text = async (path: string) => (await fetch(`${base}${path}`)).text();
    await text('/a/page');
    await text('/b/page');
    registry.get('mounted')!.forceOpen();
    expect(await text('/a/page')).toBe('page a');
    expect(await text('/b/page')).toBe('page b');
  });
});
