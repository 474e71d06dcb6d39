// adminHandler for Koa over real HTTP: required authorize, Koa's ctx, the admin scenario.
import { BreakerRegistry } from '@breakwater/core';
import Koa, { type Context } from 'koa';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { adminScenario, serveForTest } from '@breakwater/test-support';
import { adminHandler, circuitBreaker } from './index.js';

describe('adminHandler (koa)', () => {
  it('requires authorize', () => {
    // @ts-expect-error: authorize is required
    expect(() => adminHandler({})).toThrow(/option "authorize"/);
  });

  it('lists and operates breakers', async () => {
    const registry = new BreakerRegistry();
    const admin = adminHandler({
      registry,
      logger: { warn: () => {}, error: () => {} },
      authorize: (ctx) => {
        expectTypeOf(ctx).toEqualTypeOf<Context>();
        return ctx.get('x-admin') === 'yes' && 'alice';
      },
    });
    const guard = circuitBreaker({ name: 'orders', registry });
    const app = new Koa();
    app.use(async (ctx, next) => {
      if (ctx.path === '/admin' || ctx.path.startsWith('/admin/')) return admin(ctx, next);
      if (ctx.path === '/orders') {
        return guard(ctx, async () => {
          ctx.body = 'ok';
        });
      }
      await next();
    });
    await adminScenario(await serveForTest(app.callback()), registry);
  });
});
