// The Koa example: healthy answers, a trip after three failures, 503s while open, recovery.
import { BreakerRegistry, ManualClock } from '@breakwater/core';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from './app.js';

let server: Server | undefined;
afterEach(
  () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
);

async function start(clock: ManualClock): Promise<string> {
  const app = createApp({ clock, registry: new BreakerRegistry() });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('the Koa example', () => {
  it('opens after three failures, answers 503 while open, and recovers after the open duration', async () => {
    const clock = new ManualClock();
    const base = await start(clock);
    const healthy = await fetch(`${base}/forecast/oslo`);
    expect(healthy.status).toBe(200);
    expect(healthy.headers.get('x-circuit-breaker-state')).toBe('closed');

    await fetch(`${base}/weather-service/fail`, { method: 'POST' });
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
