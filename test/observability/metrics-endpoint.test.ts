// /metrics, /health and /ready over real HTTP: a guarded route trips, and the scrape tells it exactly.
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  BreakerRegistry,
  CircuitBreaker,
  ManualClock,
  healthResponse,
  readiness,
} from '@breakwater/core';
import { rejectionResponse } from '@breakwater/core/adapter';
import { registerMetrics } from '@breakwater/prometheus';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMetrics } from '../../packages/prometheus/src/read-metrics.testing.js';

const hasPromtool = spawnSync('promtool', ['--version'], { stdio: 'ignore' }).status === 0;

const clock = new ManualClock(0);
const registry = new BreakerRegistry();
const register = new Registry();
const metrics = registerMetrics(register, { registry, buckets: [0.05, 0.5, 5] });
const upstream = new CircuitBreaker({
  name: 'GET /orders',
  registry,
  clock,
  failureThreshold: 3,
  openDuration: 10_000,
});
/** What the guarded route's handler does next: its status and how long it "takes" on the clock. */
let nextStatus = 200;
let nextDurationMs = 0;
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const send = (status: number, headers: Record<string, string>, body: string): void => {
      res.writeHead(status, headers).end(body);
    };
    if (req.url === '/metrics') {
      void register
        .metrics()
        .then((text) => send(200, { 'Content-Type': register.contentType }, text));
      return;
    }
    if (req.url === '/health' || req.url === '/ready') {
      const r =
        req.url === '/health'
          ? healthResponse(registry)
          : readiness(registry, { critical: ['GET /orders'] });
      send(r.status, { ...r.headers }, JSON.stringify(r.body));
      return;
    }
    const permit = upstream.tryAcquire();
    if (!permit.admitted) {
      const rejected = rejectionResponse(permit);
      send(rejected.status, { ...rejected.headers }, rejected.body);
      return;
    }
    clock.advance(nextDurationMs);
    permit.record({ status: nextStatus });
    send(nextStatus, { 'Content-Type': 'text/plain' }, 'orders');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  metrics.dispose();
  upstream.close();
  await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
});

async function get(path: string): Promise<Response> {
  return fetch(`${base}${path}`, { signal: AbortSignal.timeout(5_000) });
}

async function scrape(): Promise<{ text: string; m: ReturnType<typeof readMetrics> }> {
  const response = await get('/metrics');
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  const text = await response.text();
  return { text, m: readMetrics(text) };
}

describe('metrics, health and readiness over HTTP', () => {
  it('a scripted trip shows in /metrics, /health and /ready, and recovery clears it', async () => {
    const breaker = { breaker: 'GET /orders' };
    nextStatus = 200;
    nextDurationMs = 20;
    expect((await get('/orders')).status).toBe(200);
    nextStatus = 500;
    nextDurationMs = 700;
    for (let i = 0; i < 3; i++) expect((await get('/orders')).status).toBe(500);
    clock.advance(1_000);
    for (let i = 0; i < 2; i++) {
      const rejected = await get('/orders');
      expect(rejected.status).toBe(503);
      expect(rejected.headers.get('retry-after')).toBe('9');
    }

    let { m } = await scrape();
    expect(m.value('breakwater_state', { ...breaker, state: 'open' })).toBe(1);
    expect(m.value('breakwater_state', { ...breaker, state: 'closed' })).toBe(0);
    const calls = (outcome: string): number =>
      m.value('breakwater_calls_total', { ...breaker, outcome });
    expect([calls('success'), calls('failure'), calls('rejected'), calls('timeout')]).toEqual([
      1, 3, 2, 0,
    ]);
    expect(
      m.value('breakwater_transitions_total', { ...breaker, from: 'closed', to: 'open' }),
    ).toBe(1);
    expect(m.value('breakwater_failure_rate', breaker)).toBe(0.75);
    const bucket = (le: string): number =>
      m.value('breakwater_call_duration_seconds_bucket', { ...breaker, le });
    expect([bucket('0.05'), bucket('0.5'), bucket('5'), bucket('+Inf')]).toEqual([1, 1, 4, 4]);
    expect(m.value('breakwater_call_duration_seconds_sum', breaker)).toBeCloseTo(2.12);

    const health = await get('/health');
    expect(health.status).toBe(200);
    expect(health.headers.get('cache-control')).toBe('no-store');
    const healthBody = (await health.json()) as { status: string; breakers: { state: string }[] };
    expect(healthBody.status).toBe('degraded');
    expect(healthBody.breakers[0]!.state).toBe('open');

    const ready = await get('/ready');
    expect(ready.status).toBe(503);
    expect(ready.headers.get('retry-after')).toBe('9');
    expect(await ready.json()).toMatchObject({
      status: 'unready',
      unavailable: [{ name: 'GET /orders', state: 'open', retryAfterMs: 9_000 }],
    });

    clock.advance(9_000);
    nextStatus = 200;
    nextDurationMs = 10;
    expect((await get('/orders')).status).toBe(200);
    ({ m } = await scrape());
    expect(m.value('breakwater_state', { ...breaker, state: 'closed' })).toBe(1);
    expect(
      m.value('breakwater_transitions_total', { ...breaker, from: 'half-open', to: 'closed' }),
    ).toBe(1);
    expect((await get('/ready')).status).toBe(200);
  });

  it.skipIf(!hasPromtool)('the /metrics text passes promtool check metrics', async () => {
    const { text } = await scrape();
    const lint = spawnSync('promtool', ['check', 'metrics'], {
      input: text,
      encoding: 'utf8',
      timeout: 10_000,
    });
    expect(lint.stderr + lint.stdout).toBe('');
    expect(lint.status).toBe(0);
  });
});
