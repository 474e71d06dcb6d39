// The Koa example over real HTTP: a trip after three failures, 503s while open, recovery.
import { BreakerRegistry, ManualClock } from '@breakwater/core';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, it } from 'vitest';
import { forecastScenario } from '../../shared/forecast-scenario.js';
import { createApp } from './app.js';

let server: Server | undefined;
afterEach(
  () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
);

describe('the Koa example', () => {
  it('opens after three failures, answers 503 while open, and recovers after the open duration', async () => {
    const clock = new ManualClock();
    const app = createApp({ clock, registry: new BreakerRegistry() });
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    await forecastScenario(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, (ms) =>
      clock.advance(ms),
    );
  });
});
