// Tests for the Hono middleware through app.request(): no server and no node:http, as on a Web runtime.

import { BreakerRegistry, ManualClock } from '@breakwater/core';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { describe, expect, it } from 'vitest';
import { healthHandler } from './health.js';
import { circuitBreaker, type HonoCircuitBreakerOptions } from './middleware.js';

function setup(options: HonoCircuitBreakerOptions = {}) {
  const registry = new BreakerRegistry();
  const clock = new ManualClock();
  const base = { registry, clock, failureThreshold: 2, openDuration: 5000, ...options };
  let status = 200;
  const app = new Hono();
  app.get('/users/:id', circuitBreaker(base), (c) => {
    if (status === 404) throw new HTTPException(404, { message: 'no such user' });
    if (status === 0) throw new Error('crashed');
    return c.text(`user ${c.req.param('id')}`, status as 200);
  });
  app.get('/health', healthHandler({ registry }));
  return { app, registry, clock, answer: (next: number) => (status = next) };
}

describe('circuitBreaker (hono)', () => {
  it('names the breaker after the matched route and stamps every response', async () => {
    const { app, registry } = setup();
    const res = await app.request('/users/7');
    expect(await res.text()).toBe('user 7');
    expect(res.headers.get('x-circuit-breaker-state')).toBe('closed');
    expect(registry.list().map((b) => b.name)).toEqual(['GET /users/:id']);
  });

  it('trips on 5xx and on thrown errors, then answers the 503 contract without running the handler', async () => {
    const { app, answer } = setup();
    answer(503);
    expect((await app.request('/users/1')).status).toBe(503);
    answer(0);
    expect((await app.request('/users/1')).status).toBe(500);
    answer(200);
    const res = await app.request('/users/1', { headers: { Origin: 'https://app.example' } });
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.headers.get('retry-after')).toBe('5');
    expect(res.headers.get('access-control-expose-headers')).toBe(
      'Retry-After, X-Circuit-Breaker-State, X-Circuit-Breaker-Scope',
    );
    expect(await res.json()).toMatchObject({ breaker: 'GET /users/:id', state: 'open' });
  });

  it('never counts a thrown HTTPException with a 4xx status', async () => {
    const { app, answer, registry } = setup({ failureThreshold: 1 });
    answer(404);
    for (let i = 0; i < 3; i++) expect((await app.request('/users/1')).status).toBe(404);
    expect(registry.get('GET /users/:id')?.state).toBe('closed');
  });

  it('admits a probe after the open duration and closes on its success', async () => {
    const { app, answer, clock, registry } = setup({ failureThreshold: 1 });
    answer(500);
    await app.request('/users/1');
    clock.advance(5000);
    answer(200);
    const probe = await app.request('/users/1');
    expect(probe.headers.get('x-circuit-breaker-state')).toBe('half-open');
    expect(registry.get('GET /users/:id')?.state).toBe('closed');
  });

  it('lets onReject answer with a Response of its own', async () => {
    const { app, answer } = setup({
      failureThreshold: 1,
      onReject: (c) => c.json({ later: true }, 429),
    });
    answer(500);
    await app.request('/users/1');
    const res = await app.request('/users/1');
    expect(res.status).toBe(429);
    expect(res.headers.get('x-circuit-breaker-state')).toBe('open');
    expect(await res.json()).toEqual({ later: true });
  });

  it('reports the breakers through the health handler', async () => {
    const { app } = setup();
    await app.request('/users/1');
    const health = (await (await app.request('/health')).json()) as {
      breakers: { name: string }[];
    };
    expect(health.breakers.map((b) => b.name)).toEqual(['GET /users/:id']);
  });

  it('throws a TypeError naming a bad option at construction', () => {
    expect(() => circuitBreaker({ openDuration: -1 })).toThrow(/openDuration/);
  });
});
