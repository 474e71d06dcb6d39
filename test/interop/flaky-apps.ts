// One flaky route, GET /data, guarded by each adapter on a real 127.0.0.1 server, with every arrival logged.

import { createServer, type RequestListener } from 'node:http';
import { BreakerRegistry, type CircuitBreaker } from '@breakwater/core';
import { circuitBreaker as expressBreaker } from '@breakwater/express';
import fastifyCircuitBreaker from '@breakwater/fastify';
import { circuitBreaker as koaBreaker } from '@breakwater/koa';
import express from 'express';
import Fastify from 'fastify';
import Koa from 'koa';
import { serveForTest } from '@breakwater/test-support';
import { watchSentHeaders } from './sent-headers.js';

/** The breaker of every app: two failures open it for 1.5 s of real time. */
export const BREAKER = { name: 'data', failureThreshold: 2, openDuration: 1_500 } as const;

/** One request as the server saw it, before any middleware ran. */
export interface Arrival {
  /** `performance.now()` on arrival (the breaker's own clock). */
  readonly at: number;
  /** The breaker's `retryAfterMs` on arrival: how long it still had to stay open. */
  readonly remainingMs: number;
  /** The status sent, once the response finished. */
  status?: number;
  /** The `Retry-After` sent, if any. */
  retryAfter?: string;
}

/** A running flaky app. */
export interface FlakyApp {
  readonly url: string;
  /** Every request in arrival order. */
  readonly arrivals: Arrival[];
  /** The breaker guarding GET /data (it exists once the app has been built). */
  readonly breaker: CircuitBreaker;
  /** Whether GET /data answers 500 (true) or 200 `fine`. */
  down: boolean;
}

/** An adapter that can build the flaky app as a Node request listener. */
export interface FlakyAdapter {
  readonly name: string;
  readonly listener: (
    registry: BreakerRegistry,
    app: { down: boolean },
  ) => Promise<RequestListener>;
}

/** The three adapters, each guarding GET /data with {@link BREAKER}. */
export const adapters: readonly FlakyAdapter[] = [
  {
    name: 'express',
    listener: async (registry, state) => {
      const app = express();
      app.get('/data', expressBreaker({ ...BREAKER, registry }), (_req, res) => {
        res.status(state.down ? 500 : 200).send(state.down ? 'down' : 'fine');
      });
      return app;
    },
  },
  {
    name: 'koa',
    listener: async (registry, state) => {
      const app = new Koa();
      app.silent = true;
      app.use(koaBreaker({ ...BREAKER, registry }));
      app.use((ctx) => {
        ctx.status = state.down ? 500 : 200;
        ctx.body = state.down ? 'down' : 'fine';
      });
      return app.callback();
    },
  },
  {
    name: 'fastify',
    listener: async (registry, state) => {
      let handler: RequestListener | undefined;
      // The server is ours (serveForTest); Fastify only hands over its request handler.
      const app = Fastify({
        logger: false,
        serverFactory: (fastifyHandler) => {
          handler = fastifyHandler;
          return createServer();
        },
      });
      await app.register(fastifyCircuitBreaker, { registry });
      app.get('/data', { config: { circuitBreaker: BREAKER } }, async (_request, reply) =>
        reply.code(state.down ? 500 : 200).send(state.down ? 'down' : 'fine'),
      );
      await app.ready();
      return handler!;
    },
  },
];

/** Starts `adapter`'s flaky app on 127.0.0.1 for the running test (closed when it ends). */
export async function startFlakyApp(adapter: FlakyAdapter): Promise<FlakyApp> {
  const registry = new BreakerRegistry();
  const state = { down: false };
  const listener = await adapter.listener(registry, state);
  const arrivals: Arrival[] = [];
  const url = await serveForTest((req, res) => {
    const arrival: Arrival = {
      at: performance.now(),
      remainingMs: registry.get(BREAKER.name)?.retryAfterMs ?? 0,
    };
    arrivals.push(arrival);
    watchSentHeaders(res, (headers) => (arrival.retryAfter = headers['retry-after']));
    res.on('finish', () => (arrival.status = res.statusCode));
    listener(req, res);
  });
  // Fastify builds its route's breaker lazily: one healthy call makes every breaker exist.
  const warmUp = await fetch(`${url}/data`);
  if (warmUp.status !== 200) throw new Error(`${adapter.name}: warm-up got ${warmUp.status}`);
  await warmUp.text();
  arrivals.length = 0;
  const breaker = registry.get(BREAKER.name);
  if (breaker === undefined) throw new Error(`${adapter.name}: no breaker named ${BREAKER.name}`);
  return {
    url,
    arrivals,
    breaker,
    get down() {
      return state.down;
    },
    set down(value: boolean) {
      state.down = value;
    },
  };
}
