// dashboardHandler for Koa: authorize gets ctx, is required, and the endpoint answers in Koa's stead.
import Router from '@koa/router';
import { BreakerRegistry } from '@breakwater/core';
import Koa, { type Context } from 'koa';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { serveForTest } from '@breakwater/test-support';
import { dashboardHandler } from './index.js';

describe('dashboardHandler (koa)', () => {
  it('requires authorize', () => {
    // @ts-expect-error: authorize is required
    expect(() => dashboardHandler({})).toThrow(/option "authorize"/);
  });

  it('asks authorize with ctx (state included), and serves the page as a router route', async () => {
    const registry = new BreakerRegistry();
    const dashboard = dashboardHandler({
      registry,
      authorize: (ctx) => {
        expectTypeOf(ctx).toEqualTypeOf<Context>();
        return ctx.state.admin === true;
      },
    });
    const app = new Koa();
    app.use(async (ctx, next) => {
      ctx.state.admin = ctx.get('x-admin') === 'yes';
      await next();
    });
    const router = new Router();
    router.get('/breakwater', dashboard);
    app.use(router.routes());
    const base = await serveForTest(app.callback());
    const refused = await fetch(`${base}/breakwater`);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toBe('Forbidden\n');
    const ok = await fetch(`${base}/breakwater`, { headers: { 'x-admin': 'yes' } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('<!doctype html>');
    dashboard.close();
  });
});
