// Real HTTP servers on 127.0.0.1 for the client interop tests: a scripted node:http one and the three adapters.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '@breakwater/core';
import { circuitBreaker as expressBreaker } from '@breakwater/express';
import fastifyCircuitBreaker from '@breakwater/fastify';
import { circuitBreaker as koaBreaker } from '@breakwater/koa';
import express from 'express';
import Fastify from 'fastify';
import Router from '@koa/router';
import Koa from 'koa';

/** A running server the test must close. */
export interface RunningServer {
  readonly url: string;
  /** Requests that reached the server (not counting local short-circuits). */
  readonly hits: () => number;
  readonly close: () => Promise<void>;
}

/** Answers each request with the next scripted handler (the last one repeats). */
export async function scriptedServer(
  ...handlers: ((req: IncomingMessage, res: ServerResponse) => void)[]
): Promise<RunningServer> {
  let hits = 0;
  const server = createServer((req, res) => {
    const handler = handlers[Math.min(hits, handlers.length - 1)]!;
    hits += 1;
    handler(req, res);
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits: () => hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** What an adapter server needs: the breaker's clock and whether the guarded route fails. */
export interface AdapterSetup {
  readonly clock: Clock;
  readonly failing: () => boolean;
}

/**
 * Starts a server whose `GET /work` route is guarded with a one-failure breaker opening for 5 s,
 * beside an unguarded `GET /other` route.
 */
export type AdapterServerFactory = (setup: AdapterSetup) => Promise<RunningServer>;

const BREAKER = { failureThreshold: 1, openDuration: 5000, registry: false } as const;

async function listening(server: Server, hits: () => number): Promise<RunningServer> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Express 5 with `@breakwater/express` on the route. */
export const expressServer: AdapterServerFactory = async ({ clock, failing }) => {
  let hits = 0;
  const app = express();
  app.use((_req, _res, next) => {
    hits += 1;
    next();
  });
  app.get('/work', expressBreaker({ ...BREAKER, clock }), (_req, res) => {
    if (failing()) res.status(500).send('boom');
    else res.send('done');
  });
  app.get('/other', (_req, res) => void res.send('other'));
  return listening(createServer(app), () => hits);
};

/** Koa 3 with `@breakwater/koa` on a @koa/router route. */
export const koaServer: AdapterServerFactory = async ({ clock, failing }) => {
  let hits = 0;
  const app = new Koa();
  app.use(async (_ctx, next) => {
    hits += 1;
    await next();
  });
  const router = new Router();
  router.get('/work', koaBreaker({ ...BREAKER, clock }), (ctx) => {
    if (failing()) {
      ctx.status = 500;
      ctx.body = 'boom';
    } else ctx.body = 'done';
  });
  router.get('/other', (ctx) => {
    ctx.body = 'other';
  });
  app.use(router.routes());
  return listening(createServer(app.callback()), () => hits);
};

/** Fastify 5 with the `@breakwater/fastify` plugin. */
export const fastifyServer: AdapterServerFactory = async ({ clock, failing }) => {
  let hits = 0;
  const app = Fastify({ logger: false });
  app.addHook('onRequest', async () => {
    hits += 1;
  });
  await app.register(fastifyCircuitBreaker, { ...BREAKER, clock });
  app.get('/work', async (_request, reply) => {
    if (failing()) return reply.code(500).send('boom');
    return 'done';
  });
  app.get('/other', { config: { circuitBreaker: false } }, async () => 'other');
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, hits: () => hits, close: () => app.close() };
};
