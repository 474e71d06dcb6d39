// adminHandler for Fastify over real HTTP: required authorize, Fastify's request, the admin scenario.
import { BreakerRegistry } from '@breakwater/core';
import Fastify, { type FastifyRequest } from 'fastify';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { adminScenario } from '@breakwater/test-support';
import fastifyCircuitBreaker, { adminHandler } from './index.js';

describe('adminHandler (fastify)', () => {
  it('requires authorize', () => {
    // @ts-expect-error: authorize is required
    expect(() => adminHandler({})).toThrow(/option "authorize"/);
  });

  it('lists and operates breakers; its own routes stay unguarded', async () => {
    const registry = new BreakerRegistry();
    const app = Fastify();
    try {
      await app.register(fastifyCircuitBreaker, { registry });
      await app.register(
        adminHandler({
          registry,
          logger: { warn: () => {}, error: () => {} },
          authorize: (request) => {
            expectTypeOf(request).toEqualTypeOf<FastifyRequest>();
            return request.headers['x-admin'] === 'yes' && 'alice';
          },
        }),
        { prefix: '/admin' },
      );
      app.get('/orders', { config: { circuitBreaker: { name: 'orders' } } }, async () => 'ok');
      const base = await app.listen({ port: 0, host: '127.0.0.1' });
      await adminScenario(base, registry);
      expect(registry.list().map((b) => b.name)).toEqual(['orders']);
    } finally {
      await app.close();
    }
  });
});
