// An Express app with guarded routes and /metrics, /health and /ready together: what Prometheus scrapes.

import type { BreakerRegistry, BreakerStore, Clock, Disposable } from '@breakwater/core';
import { circuitBreaker, healthHandler, readinessHandler } from '@breakwater/express';
import { registerMetrics } from '@breakwater/prometheus';
import express, { type Express } from 'express';
import { Registry } from 'prom-client';

/** What the guarded routes depend on, and how each dependency behaves right now. */
export interface Dependencies {
  /** `GET /orders` calls the orders service: `ok`, `fail` (502) or `slow` (answers after `slowMs`). */
  orders: 'ok' | 'fail' | 'slow';
  /** `GET /tenants/:tenant/profile` calls the profile service: `ok` or `fail`. */
  profiles: 'ok' | 'fail';
  /** How long a slow call takes, in ms. */
  slowMs: number;
}

/** Options of {@link createMonitoringApp}; tests pass their own registry, clock and store. */
export interface MonitoringAppOptions {
  registry?: BreakerRegistry;
  clock?: Clock;
  /** Shares the `orders` breaker's state through this store (a `RedisStore` in production). */
  store?: BreakerStore;
}

/** The app, its prom-client registry, the switches of its dependencies, and how to stop it. */
export interface MonitoringApp extends Disposable {
  readonly app: Express;
  readonly register: Registry;
  readonly dependencies: Dependencies;
}

/**
 * Builds the app:
 * - `GET /orders`: a breaker named `orders` (3 failures in a row, or half of the last 20 calls
 *   failing or slower than 250 ms, open it for 30 s), with the response cache on
 * - `GET /tenants/:tenant/profile`: one breaker per tenant in the keyed family `profiles` (at most
 *   100 kept), exposed as one family in the metrics
 * - `POST /dependencies/:name/:mode`: switches a dependency to `ok`, `fail` or `slow` (a demo aid)
 * - `GET /metrics` (Prometheus), `GET /health` (always 200), `GET /ready` (503 while `orders` is open)
 *
 * In production, serve `/metrics` and the probes on an internal port or behind your auth: they
 * describe your dependencies.
 */
export function createMonitoringApp(options: MonitoringAppOptions = {}): MonitoringApp {
  const dependencies: Dependencies = { orders: 'ok', profiles: 'ok', slowMs: 400 };
  const shared = {
    ...(options.registry === undefined ? {} : { registry: options.registry }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  };
  const register = new Registry();
  const metrics = registerMetrics(register, {
    ...(options.registry === undefined ? {} : { registry: options.registry }),
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5],
  });
  const app = express();

  app.post('/dependencies/:name/:mode', (req, res) => {
    const { name, mode } = req.params;
    if (name === 'orders' && (mode === 'ok' || mode === 'fail' || mode === 'slow')) {
      dependencies.orders = mode;
    } else if (name === 'profiles' && (mode === 'ok' || mode === 'fail')) {
      dependencies.profiles = mode;
    } else {
      res.status(404).json({ error: `no dependency ${name} with mode ${mode}` });
      return;
    }
    res.sendStatus(204);
  });

  app.get(
    '/orders',
    circuitBreaker({
      name: 'orders',
      failureThreshold: 3,
      failureRateThreshold: 50,
      slowCallDurationThreshold: 250,
      slowCallRateThreshold: 50,
      window: { type: 'count', size: 20 },
      minimumCalls: 10,
      openDuration: 30_000,
      cache: true,
      ...(options.store === undefined ? {} : { store: options.store }),
      ...shared,
    }),
    (_req, res) => {
      const answer = (): void => {
        if (dependencies.orders === 'fail') res.status(502).json({ error: 'orders unavailable' });
        else res.json({ orders: [{ id: 1, total: 42 }] });
      };
      if (dependencies.orders === 'slow') setTimeout(answer, dependencies.slowMs).unref();
      else answer();
    },
  );

  app.get(
    '/tenants/:tenant/profile',
    circuitBreaker({
      name: 'profiles',
      key: (req) => String(req.params.tenant),
      maxBreakers: 100,
      failureThreshold: 2,
      openDuration: 30_000,
      ...shared,
    }),
    (req, res) => {
      if (dependencies.profiles === 'fail') res.status(503).json({ error: 'profiles unavailable' });
      else res.json({ tenant: req.params.tenant, plan: 'pro' });
    },
  );

  app.get('/metrics', async (_req, res) => {
    res.set('Content-Type', register.contentType).send(await register.metrics());
  });
  app.get('/health', healthHandler(shared));
  app.get('/ready', readinessHandler({ ...shared, critical: ['orders'] }));

  return { app, register, dependencies, dispose: () => metrics.dispose() };
}
