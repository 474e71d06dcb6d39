// One app per framework for the dashboard tests: a guarded /orders that fails on demand and the dashboard.

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BreakerRegistry } from '@breakwater/core';
import * as forExpress from '@breakwater/express';
import fastifyCircuitBreaker, * as forFastify from '@breakwater/fastify';
import * as forKoa from '@breakwater/koa';
import express from 'express';
import Fastify from 'fastify';
import Koa from 'koa';

/** What every app is built from. */
export interface AppSetup {
  readonly registry: BreakerRegistry;
  /** The dashboard's client bound. */
  readonly maxClients: number;
  /** `GET /orders` answers this status. */
  status: number;
}

/** A running app: its base URL, how many dashboard streams are open, and how to stop it. */
export interface RunningApp {
  readonly base: string;
  readonly clients: () => number;
  readonly close: () => Promise<void>;
}

/** The header the dashboard's `authorize` wants. */
export const ADMIN_HEADER = { 'x-admin-token': 'let-me-in' };

const guardOptions = (s: AppSetup) => ({
  name: 'orders',
  registry: s.registry,
  failureThreshold: 2,
  openDuration: 30_000,
});

function listen(server: ReturnType<typeof createServer>): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );
}

function stop(server: ReturnType<typeof createServer>): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Starts each framework's app on 127.0.0.1 with its own `dashboardHandler` at `/breakwater`. */
export const apps: { name: string; start: (s: AppSetup) => Promise<RunningApp> }[] = [
  {
    name: 'express',
    start: async (s) => {
      const dashboard = forExpress.dashboardHandler({
        registry: s.registry,
        maxClients: s.maxClients,
        authorize: (req) => req.get('x-admin-token') === ADMIN_HEADER['x-admin-token'],
      });
      const app = express();
      app.get('/orders', forExpress.circuitBreaker(guardOptions(s)), (_req, res) => {
        res.status(s.status).send('orders');
      });
      app.get('/breakwater', dashboard);
      const server = createServer(app);
      return {
        base: await listen(server),
        clients: () => dashboard.clients,
        close: () => (dashboard.close(), stop(server)),
      };
    },
  },
  {
    name: 'koa',
    start: async (s) => {
      const dashboard = forKoa.dashboardHandler({
        registry: s.registry,
        maxClients: s.maxClients,
        authorize: (ctx) => ctx.get('x-admin-token') === ADMIN_HEADER['x-admin-token'],
      });
      const guard = forKoa.circuitBreaker(guardOptions(s));
      const app = new Koa();
      app.use(async (ctx, next) => {
        if (ctx.path === '/breakwater') return dashboard(ctx, next);
        await guard(ctx, async () => {
          ctx.status = s.status;
          ctx.body = 'orders';
        });
      });
      const server = createServer(app.callback());
      return {
        base: await listen(server),
        clients: () => dashboard.clients,
        close: () => (dashboard.close(), stop(server)),
      };
    },
  },
  {
    name: 'fastify',
    start: async (s) => {
      const dashboard = forFastify.dashboardHandler({
        registry: s.registry,
        maxClients: s.maxClients,
        authorize: (request) => request.headers['x-admin-token'] === ADMIN_HEADER['x-admin-token'],
      });
      const app = Fastify();
      app.addHook('onClose', async () => dashboard.close());
      await app.register(fastifyCircuitBreaker, { registry: s.registry });
      app.get('/orders', { config: { circuitBreaker: guardOptions(s) } }, async (_req, reply) =>
        reply.code(s.status).send('orders'),
      );
      app.get('/breakwater', { config: { circuitBreaker: false } }, dashboard);
      await app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = app.server.address() as AddressInfo;
      return {
        base: `http://127.0.0.1:${port}`,
        clients: () => dashboard.clients,
        close: async () => {
          app.server.closeAllConnections();
          await app.close();
        },
      };
    },
  },
];
