// The Fastify example: healthy answers, a trip after three failures, 503s while open, recovery.
import { BreakerRegistry, ManualClock } from '@breakwater/core';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from './app.js';

let app: FastifyInstance | undefined;
afterEach(async () => app?.close());

describe('the Fastify example', () => {
  it('opens after three failures, answers 503 while open, and recovers after the open duration', async () => {
    const clock = new ManualClock();
    app = await createApp({ clock, registry: new BreakerRegistry() });
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const healthy = await fetch(`${base}/forecast/oslo`);
    expect(healthy.status).toBe(200);
    expect(healthy.headers.get('x-circuit-breaker-state')).toBe('closed');

    const switched = await fetch(`${base}/weather-service/fail`, { method: 'POST' });
    expect(switched.headers.get('x-circuit-breaker-state')).toBeNull();
    for (let i = 0; i < 3; i++) expect((await fetch(`${base}/forecast/bergen`)).status).toBe(502);

    const rejected = await fetch(`${base}/forecast/bergen`);
    expect(rejected.status).toBe(503);
    expect(rejected.headers.get('retry-after')).toBe('10');
    expect(rejected.headers.get('content-type')).toMatch(/^application\/problem\+json/);

    await fetch(`${base}/weather-service/heal`, { method: 'POST' });
    clock.advance(10_000);
    const probe = await fetch(`${base}/forecast/bergen`);
    expect(probe.status).toBe(200);
    expect(probe.headers.get('x-circuit-breaker-state')).toBe('half-open');
    expect((await fetch(`${base}/forecast/bergen`)).headers.get('x-circuit-breaker-state')).toBe(
      'closed',
    );
  });
});
