// The monitoring example over real HTTP: /metrics, /health and /ready tell the same trip, and Prometheus accepts its config.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BreakerRegistry, ManualClock } from '@breakwater/core';
import { describe, expect, it, onTestFinished } from 'vitest';
import { readMetrics } from '../../../packages/prometheus/src/read-metrics.testing.js';
import { serveForTest } from '@breakwater/test-support';
import { createMonitoringApp } from './app.js';

const hasPromtool = spawnSync('promtool', ['--version'], { stdio: 'ignore' }).status === 0;

function start() {
  const clock = new ManualClock(0);
  const registry = new BreakerRegistry();
  const monitoring = createMonitoringApp({ clock, registry });
  onTestFinished(() => {
    monitoring.dispose();
    for (const breaker of registry.list()) breaker.close();
  });
  return { clock, registry, ...monitoring };
}

describe('the monitoring example', () => {
  it('serves /metrics, /health and /ready, which all follow the orders breaker through a trip', async () => {
    const { app, clock } = start();
    const base = await serveForTest(app);
    const get = (path: string, init?: RequestInit): Promise<Response> =>
      fetch(`${base}${path}`, { ...init, signal: AbortSignal.timeout(5_000) });
    const metrics = async () => readMetrics(await (await get('/metrics')).text());

    expect((await get('/orders')).status).toBe(200);
    expect((await get('/ready')).status).toBe(200);
    let m = await metrics();
    expect(m.value('breakwater_state', { breaker: 'orders', state: 'closed' })).toBe(1);
    expect(
      m.value('breakwater_transitions_total', { breaker: 'orders', from: 'closed', to: 'open' }),
    ).toBe(0);
    expect(m.value('breakwater_threshold', { breaker: 'orders', threshold: 'failure_rate' })).toBe(
      0.5,
    );

    expect((await get('/dependencies/orders/fail', { method: 'POST' })).status).toBe(204);
    for (let i = 0; i < 3; i++) expect((await get('/orders')).status).toBe(502);
    clock.advance(1_000);
    const served = await get('/orders'); // open: the cached 200 from before the trip
    expect(served.status).toBe(200);
    expect(served.headers.get('cache-status')).toContain('hit');

    const ready = await get('/ready');
    expect(ready.status).toBe(503);
    expect(ready.headers.get('retry-after')).toBe('29');
    const health = (await (await get('/health')).json()) as { status: string };
    expect(health.status).toBe('degraded');
    m = await metrics();
    expect(m.value('breakwater_state', { breaker: 'orders', state: 'open' })).toBe(1);
    expect(
      m.value('breakwater_transitions_total', { breaker: 'orders', from: 'closed', to: 'open' }),
    ).toBe(1);
    expect(m.value('breakwater_calls_total', { breaker: 'orders', outcome: 'failure' })).toBe(3);
    expect(m.value('breakwater_calls_total', { breaker: 'orders', outcome: 'cache_hit' })).toBe(1);
  });

  it('exposes the per-tenant breakers as one family, however many tenants call', async () => {
    const { app, dependencies } = start();
    const base = await serveForTest(app);
    dependencies.profiles = 'fail';
    for (let i = 0; i < 150; i++) {
      const response = await fetch(`${base}/tenants/t${i}/profile`, {
        signal: AbortSignal.timeout(5_000),
      });
      expect([503]).toContain(response.status);
    }
    const m = readMetrics(await (await fetch(`${base}/metrics`)).text());
    const family = { breaker: 'profiles', family: 'profiles' };
    expect(m.value('breakwater_family_breakers', { family: 'profiles' })).toBe(100);
    expect(m.value('breakwater_family_evictions_total', { family: 'profiles' })).toBe(50);
    expect(m.value('breakwater_calls_total', { ...family, outcome: 'failure' })).toBe(150);
    expect(m.value('breakwater_state', { ...family, state: 'closed' })).toBe(100);
    expect(new Set(m.find('breakwater_state').map((s) => s.labels.breaker))).toEqual(
      new Set(['orders', 'profiles']),
    );
  });

  it.skipIf(!hasPromtool)('its Prometheus config and rules pass promtool check config', () => {
    const out = spawnSync('promtool', ['check', 'config', 'prometheus.yml'], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      encoding: 'utf8',
      timeout: 10_000,
    });
    expect(out.stdout + out.stderr).toContain('SUCCESS: 3 rules found');
    expect(out.status).toBe(0);
  });
});
