// The story every example app's test tells: healthy, three failures trip it, 503 while open, recovery.
import { expect } from 'vitest';

/** Drives an example app at `base` through a trip and a recovery; `advance` moves its breaker's clock. */
export async function forecastScenario(base: string, advance: (ms: number) => void): Promise<void> {
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
  advance(10_000);
  const probe = await fetch(`${base}/forecast/bergen`);
  expect(probe.status).toBe(200);
  expect(probe.headers.get('x-circuit-breaker-state')).toBe('half-open');
  expect((await fetch(`${base}/forecast/bergen`)).headers.get('x-circuit-breaker-state')).toBe(
    'closed',
  );
}
