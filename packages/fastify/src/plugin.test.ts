// Fastify-specific behaviour of the plugin: per-route config, opt-out, names, registration errors.

import { BreakerRegistry, ManualClock } from '@breakwater/core';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import fastifyCircuitBreaker, { fastifyCircuitBreaker as named } from './index.js';

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function build(registry: BreakerRegistry): Promise<FastifyInstance> {
  app = Fastify();
  await app.register(fastifyCircuitBreaker, {
    registry,
    clock: new ManualClock(),
    failureThreshold: 1,
  });
  return app;
}

describe('@breakwater/fastify', () => {
  it('exports the same plugin as default and named export', () => {
    expect(named).toBe(fastifyCircuitBreaker);
  });

  it('names each route breaker by method and full pattern, HEAD sharing GET', async () => {
    const registry = new BreakerRegistry();
    const server = await build(registry);
    await server.register(
      async (child) => {
        child.get('/users/:id', async () => 'user');
      },
      { prefix: '/api' },
    );
    await server.ready();
    expect(registry.list().map((b) => b.name)).toEqual(['GET /api/users/:id']);
    const head = await server.inject({ method: 'HEAD', url: '/api/users/1' });
    expect(head.headers['x-circuit-breaker-state']).toBe('closed');
    expect(registry.get('GET /api/users/:id')?.snapshot().totals.success).toBe(1);
  });

  it('registers again in a child context, where the request slot is already declared', async () => {
    const server = await build(new BreakerRegistry());
    const inner = new BreakerRegistry();
    await server.register(async (child) => {
      await child.register(fastifyCircuitBreaker, { registry: inner, failureThreshold: 1 });
      child.get('/child', async () => {
        throw new Error('down');
      });
    });
    await server.ready();
    expect((await server.inject('/child')).statusCode).toBe(500);
    // The thrown error reached the child registration's breaker through the request slot.
    expect(inner.get('GET /child')?.snapshot().totals.failure).toBe(1);
    expect(inner.get('GET /child')?.state).toBe('open');
  });

  it('leaves a route with config.circuitBreaker false unguarded', async () => {
    const registry = new BreakerRegistry();
    const server = await build(registry);
    server.get('/health', { config: { circuitBreaker: false } }, async (_req, reply) =>
      reply.code(500).send('down'),
    );
    for (let i = 0; i < 3; i++) {
      const res = await server.inject('/health');
      expect(res.statusCode).toBe(500);
      expect(res.headers['x-circuit-breaker-state']).toBeUndefined();
    }
    expect(registry.size).toBe(0);
  });

  it('merges a route config over the plugin options', async () => {
    const registry = new BreakerRegistry();
    const server = await build(registry);
    server.get(
      '/slow',
      { config: { circuitBreaker: { failureThreshold: 3, name: 'slow-upstream' } } },
      async (_req, reply) => reply.code(503).send('x'),
    );
    for (let i = 0; i < 3; i++) expect((await server.inject('/slow')).statusCode).toBe(503);
    expect(registry.get('slow-upstream')?.state).toBe('open');
    expect(registry.get('slow-upstream')?.snapshot().totals.failure).toBe(3);
  });

  it('throws a TypeError naming a bad route option when the route is declared', async () => {
    const server = await build(new BreakerRegistry());
    expect(() =>
      server.get('/x', { config: { circuitBreaker: { halfOpenMaxCalls: -1 } } }, async () => 'x'),
    ).toThrow(/halfOpenMaxCalls/);
  });

  it('fails registration with a TypeError naming a bad plugin option', async () => {
    app = Fastify();
    await expect(app.register(fastifyCircuitBreaker, { openDuration: 0 })).rejects.toThrow(
      TypeError,
    );
  });
});
