// Adapter options with inherited properties (a defaults prototype, a class with getters) are read over real HTTP.

import { BreakerRegistry, type BreakerOptions } from '@breakwater/core';
import { circuitBreaker as expressBreaker } from '@breakwater/express';
import fastifyBreaker from '@breakwater/fastify';
import { circuitBreaker as koaBreaker } from '@breakwater/koa';
import express from 'express';
import Fastify from 'fastify';
import Koa from 'koa';
import { describe, expect, it, onTestFinished } from 'vitest';
import { serveForTest } from '@breakwater/test-support';

/** Options whose every field is inherited: `failureThreshold: 1` must trip on the first 500. */
function inherited(registry: BreakerRegistry): BreakerOptions {
  return Object.create({ name: 'inherited', registry, failureThreshold: 1 }) as BreakerOptions;
}

/** The same options as a class instance with getters. */
function withGetters(registry: BreakerRegistry): BreakerOptions {
  class Options {
    get name(): string {
      return 'getters';
    }
    get registry(): BreakerRegistry {
      return registry;
    }
    get failureThreshold(): number {
      return 1;
    }
  }
  return new Options() as BreakerOptions;
}

const servers: Record<string, (options: BreakerOptions) => Promise<string>> = {
  express: async (options) => {
    const app = express();
    app.use(expressBreaker(options));
    app.get('/', (_req, res) => void res.status(500).send('down'));
    return serveForTest(app);
  },
  koa: async (options) => {
    const app = new Koa();
    app.use(koaBreaker(options));
    app.use((ctx) => {
      ctx.status = 500;
      ctx.body = 'down';
    });
    return serveForTest(app.callback());
  },
  fastify: async (options) => {
    const app = Fastify();
    await app.register(fastifyBreaker, options);
    app.get('/', async (_request, reply) => reply.code(500).send('down'));
    await app.listen({ port: 0, host: '127.0.0.1' });
    onTestFinished(() => app.close());
    const address = app.server.address();
    return `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  },
};

/** Adapters that still drop inherited options: none. */
const pending = new Set<string>();

describe.each(Object.keys(servers))('%s reads inherited options', (framework) => {
  it.skipIf(pending.has(framework)).each([
    ['a defaults prototype', inherited],
    ['a class with getters', withGetters],
  ])('from %s: failureThreshold 1 opens on the first failure', async (_what, make) => {
    const registry = new BreakerRegistry();
    const url = await servers[framework]!(make(registry));
    expect((await fetch(url)).status).toBe(500);
    const refused = await fetch(url);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('x-circuit-breaker-state')).toBe('open');
    await refused.body?.cancel();
  });
});
