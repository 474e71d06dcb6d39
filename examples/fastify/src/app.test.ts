// The Fastify example over real HTTP: a trip after three failures, 503s while open, recovery.
import { BreakerRegistry, ManualClock } from '@breakwater/core';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { forecastScenario } from '../../shared/forecast-scenario.js';
import { createApp } from './app.js';

let app: FastifyInstance | undefined;
afterEach(async () => app?.close());

describe('the Fastify example', () => {
  it('opens after three failures, answers 503 while open, and recovers after the open duration', async () => {
    const clock = new ManualClock();
    app = await createApp({ clock, registry: new BreakerRegistry() });
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    await forecastScenario(base, (ms) => clock.advance(ms));
  });

  it('leaves the route marked circuitBreaker: false unguarded', async () => {
    app = await createApp({ registry: new BreakerRegistry() });
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const response = await fetch(`${base}/weather-service/heal`, { method: 'POST' });
    expect(response.status).toBe(204);
    expect(response.headers.get('x-circuit-breaker-state')).toBeNull();
  });
});
