// The Hono example over real HTTP (@hono/node-server's listener): a trip after three failures, 503s while open, recovery.
import { BreakerRegistry, ManualClock } from '@breakwater/core';
import { getRequestListener } from '@hono/node-server';
import { describe, expect, it } from 'vitest';
import { serveForTest } from '@breakwater/test-support';
import { forecastScenario } from '../../shared/forecast-scenario.js';
import { createApp } from './app.js';

describe('the Hono example', () => {
  it('opens after three failures, answers 503 while open, and recovers after the open duration', async () => {
    const clock = new ManualClock();
    const registry = new BreakerRegistry();
    const app = createApp({ clock, registry });
    const base = await serveForTest(getRequestListener(app.fetch));
    await forecastScenario(base, (ms) => clock.advance(ms));
    const health = (await (await fetch(`${base}/health`)).json()) as {
      breakers: { name: string }[];
    };
    expect(health.breakers.map((b) => b.name)).toEqual(['GET /forecast/:city']);
  });
});
