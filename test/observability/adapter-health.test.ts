// Each adapter's health and readiness handlers, and a /metrics route, over real HTTP after a trip.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BreakerRegistry, ManualClock } from '@breakwater/core';
import * as forExpress from '@breakwater/express';
import fastifyCircuitBreaker, * as forFastify from '@breakwater/fastify';
import * as forKoa from '@breakwater/koa';
import { registerMetrics } from '@breakwater/prometheus';
import express from 'express';
import Fastify from 'fastify';
import Koa from 'koa';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { readMetrics } from '../../packages/prometheus/src/read-metrics.testing.js';

interface Setup {
  clock: ManualClock;
  registry: BreakerRegistry;
  register: Registry;
}

/** Starts an app whose `GET /orders` is guarded by a breaker named `orders` and fails with 500. */
type Start = (s: Setup) => Promise<{ base: string; close: () => Promise<void> }>;

const breakerOptions = (s: Setup) => ({
  name: 'orders',
  registry: s.registry,
  clock: s.clock,
  failureThreshold: 2,
  openDuration: 30_000,
});

/** The readiness options every framework's handler gets. */
const readyOptions = (s: Setup) => ({ registry: s.registry, critical: ['orders'] });

function listen(server: Server): Promise<{ base: string; close: () => Promise<void> }> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

const frameworks: { name: string; start: Start }[] = [
  {
    name: 'express',
    start: (s) => {
      const app = express();
      app.get('/orders', forExpress.circuitBreaker(breakerOptions(s)), (_req, res) => {
        res.status(500).send('boom');
      });
      app.get('/health', forExpress.healthHandler({ registry: s.registry }));
      app.get('/ready', forExpress.readinessHandler(readyOptions(s)));
      app.get('/metrics', async (_req, res) => {
        res.set('Content-Type', s.register.contentType).send(await s.register.metrics());
      });
      return listen(createServer(app));
    },
  },
  {
    name: 'koa',
    start: (s) => {
      const app = new Koa();
      const guard = forKoa.circuitBreaker(breakerOptions(s));
      const health = forKoa.healthHandler({ registry: s.registry });
      const ready = forKoa.readinessHandler(readyOptions(s));
      app.use(async (ctx, next) => {
        if (ctx.path === '/health') return health(ctx, next);
        if (ctx.path === '/ready') return ready(ctx, next);
        if (ctx.path === '/metrics') {
          ctx.type = s.register.contentType;
          ctx.body = await s.register.metrics();
          return;
        }
        await next();
      });
      app.use(guard);
      app.use((ctx) => {
        ctx.status = 500;
        ctx.body = 'boom';
      });
      return listen(createServer(app.callback()));
    },
  },
  {
    name: 'fastify',
    start: async (s) => {
      const app = Fastify();
      await app.register(fastifyCircuitBreaker, {
        registry: s.registry,
        clock: s.clock,
        failureThreshold: 2,
        openDuration: 30_000,
      });
      app.get('/orders', { config: { circuitBreaker: { name: 'orders' } } }, async (_req, reply) =>
        reply.code(500).send('boom'),
      );
      const unguarded = { config: { circuitBreaker: false as const } };
      app.get('/health', unguarded, forFastify.healthHandler({ registry: s.registry }));
      app.get('/ready', unguarded, forFastify.readinessHandler(readyOptions(s)));
      app.get('/metrics', { config: { circuitBreaker: false } }, async (_req, reply) =>
        reply.type(s.register.contentType).send(await s.register.metrics()),
      );
      await app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = app.server.address() as AddressInfo;
      return { base: `http://127.0.0.1:${port}`, close: () => app.close() };
    },
  },
];

const cleanups: (() => unknown)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe.each(frameworks)('$name: health, readiness and metrics routes', ({ start }) => {
  it('answer per contract before and after the guarded route trips', async () => {
    const s: Setup = {
      clock: new ManualClock(0),
      registry: new BreakerRegistry(),
      register: new Registry(),
    };
    const metrics = registerMetrics(s.register, { registry: s.registry });
    cleanups.push(() => metrics.dispose());
    const app = await start(s);
    cleanups.push(app.close);
    const get = (path: string): Promise<Response> =>
      fetch(`${app.base}${path}`, { signal: AbortSignal.timeout(5_000) });

    expect((await get('/orders')).status).toBe(500); // creates the breaker (lazily, in some adapters)
    const before = await get('/ready');
    expect(before.status).toBe(200);
    expect(await before.json()).toMatchObject({ status: 'ready', critical: 1 });

    expect((await get('/orders')).status).toBe(500);
    s.clock.advance(10_000);
    const rejected = await get('/orders');
    expect(rejected.status).toBe(503);

    const notReady = await get('/ready');
    expect(notReady.status).toBe(503);
    expect(notReady.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(notReady.headers.get('cache-control')).toBe('no-store');
    expect(notReady.headers.get('retry-after')).toBe('20');
    expect(await notReady.json()).toMatchObject({
      status: 'unready',
      unavailable: [{ name: 'orders', state: 'open', retryAfterMs: 20_000 }],
    });

    const healthy = await get('/health');
    expect(healthy.status).toBe(200);
    expect(healthy.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(healthy.headers.get('cache-control')).toBe('no-store');
    expect(await healthy.json()).toMatchObject({
      status: 'degraded',
      states: { open: 1 },
      breakers: [{ name: 'orders', state: 'open', totals: { failure: 2, rejected: 1 } }],
    });

    const m = readMetrics(await (await get('/metrics')).text());
    expect(m.value('breakwater_state', { breaker: 'orders', state: 'open' })).toBe(1);
    expect(m.value('breakwater_calls_total', { breaker: 'orders', outcome: 'failure' })).toBe(2);
    expect(m.value('breakwater_calls_total', { breaker: 'orders', outcome: 'rejected' })).toBe(1);
    expect(
      m.value('breakwater_transitions_total', { breaker: 'orders', from: 'closed', to: 'open' }),
    ).toBe(1);
    expect(m.value('breakwater_call_duration_seconds_count', { breaker: 'orders' })).toBe(2);
  });
});

describe.each([
  ['express', forExpress.readinessHandler],
  ['koa', forKoa.readinessHandler],
  ['fastify', forFastify.readinessHandler],
] as const)('%s: readinessHandler', (_name, readinessHandler) => {
  it('rejects bad critical options when built, not per request', () => {
    expect(() => readinessHandler({ critical: 'orders' as never })).toThrow(TypeError);
  });
});
