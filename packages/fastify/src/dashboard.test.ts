// dashboardHandler for Fastify: authorize gets the request, is required, and the reply is hijacked.
import { BreakerRegistry } from '@breakwater/core';
import Fastify, { type FastifyRequest } from 'fastify';
import { describe, expect, expectTypeOf, it } from 'vitest';
import fastifyCircuitBreaker, { dashboardHandler } from './index.js';

describe('dashboardHandler (fastify)', () => {
  it('requires authorize', () => {
    // @ts-expect-error: authorize is required
    expect(() => dashboardHandler({})).toThrow(/option "authorize"/);
  });

  it("asks authorize with Fastify's request on an unguarded route, and closes with the app", async () => {
    const registry = new BreakerRegistry();
    const dashboard = dashboardHandler({
      registry,
      authorize: (request) => {
        expectTypeOf(request).toEqualTypeOf<FastifyRequest>();
        return request.headers['x-admin'] === 'yes';
      },
    });
    const app = Fastify();
    try {
      app.addHook('onClose', async () => dashboard.close());
      await app.register(fastifyCircuitBreaker, { registry });
      app.get('/breakwater', { config: { circuitBreaker: false } }, dashboard);
      const refused = await app.inject({ url: '/breakwater' });
      expect(refused.statusCode).toBe(403);
      const ok = await app.inject({ url: '/breakwater', headers: { 'x-admin': 'yes' } });
      expect(ok.statusCode).toBe(200);
      expect(ok.headers['content-security-policy']).toContain("default-src 'none'");
      const head = await app.inject({
        method: 'HEAD',
        url: '/breakwater',
        headers: { 'x-admin': 'yes' },
      });
      expect(head.statusCode).toBe(200);
      expect(head.body).toBe('');
      expect(registry.list()).toEqual([]); // the dashboard route made no breaker
    } finally {
      await app.close();
    }
  });
});
