// The Express example over real HTTP: a trip after three failures, 503s while open, recovery.
import { BreakerRegistry, ManualClock } from '@breakwater/core';
import { describe, it } from 'vitest';
import { serveForTest } from '@breakwater/test-support';
import { forecastScenario } from '../../shared/forecast-scenario.js';
import { createApp } from './app.js';

describe('the Express example', () => {
  it('opens after three failures, answers 503 while open, and recovers after the open duration', async () => {
    const clock = new ManualClock();
    const app = createApp({ clock, registry: new BreakerRegistry() });
    await forecastScenario(await serveForTest(app), (ms) => clock.advance(ms));
  });
});
