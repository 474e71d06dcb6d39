// registerMetrics(): values read back through a Prometheus text-format parser after scripted trips.
import diagnosticsChannel from 'node:diagnostics_channel';
import {
  BreakerRegistry,
  CircuitBreaker,
  DIAGNOSTICS_CHANNELS,
  KeyedBreakers,
  ManualClock,
  type BreakerOptions,
  type CacheEvent,
  type Disposable,
  type Permit,
} from '@breakwater/core';
import { Registry, register as globalRegister } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { readMetrics, type ReadMetrics } from './read-metrics.testing.js';
import { registerMetrics } from './register-metrics.js';

const cleanups: (() => void)[] = [];

afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function setup(options: { buckets?: readonly number[] | false } = {}) {
  const clock = new ManualClock(0);
  const registry = new BreakerRegistry();
  const register = new Registry();
  const metrics = registerMetrics(register, { registry, ...options });
  cleanups.push(() => metrics.dispose());
  const breaker = (opts: BreakerOptions & { name: string }): CircuitBreaker => {
    const b = new CircuitBreaker({ registry, clock, openDuration: 1000, ...opts });
    cleanups.push(() => b.close());
    return b;
  };
  const scrape = async (): Promise<ReadMetrics> => readMetrics(await register.metrics());
  return { clock, registry, register, metrics, breaker, scrape };
}

function admit(breaker: CircuitBreaker): Permit {
  const result = breaker.tryAcquire();
  if (!result.admitted) throw new Error(`expected a permit, breaker is ${result.state}`);
  return result;
}

function stateOf(m: ReadMetrics, breaker: string): Record<string, number> {
  return Object.fromEntries(
    m.find('breakwater_state', { breaker }).map((s) => [s.labels.state!, s.value]),
  );
}

describe('registerMetrics', () => {
  it('exposes every metric with its Prometheus type', async () => {
    const { breaker, scrape } = setup();
    admit(breaker({ name: 'db' })).success();
    const m = await scrape();
    expect(m.typeOf('breakwater_state')).toBe('GAUGE');
    expect(m.typeOf('breakwater_calls_total')).toBe('COUNTER');
    expect(m.typeOf('breakwater_transitions_total')).toBe('COUNTER');
    expect(m.typeOf('breakwater_failure_rate')).toBe('GAUGE');
    expect(m.typeOf('breakwater_call_duration_seconds')).toBe('HISTOGRAM');
  });

  it('the state gauge is one-hot over the five states and follows a scripted trip and recovery', async () => {
    const { clock, breaker, scrape } = setup();
    const db = breaker({ name: 'db', failureThreshold: 2 });
    expect(stateOf(await scrape(), 'db')).toEqual({
      closed: 1,
      open: 0,
      'half-open': 0,
      'forced-open': 0,
      disabled: 0,
    });
    admit(db).failure();
    admit(db).failure();
    expect(stateOf(await scrape(), 'db')).toMatchObject({ closed: 0, open: 1 });
    clock.advance(1000); // open → half-open is lazy: the scrape itself observes it
    expect(stateOf(await scrape(), 'db')).toMatchObject({ open: 0, 'half-open': 1 });
    admit(db).success();
    db.forceOpen();
    expect(stateOf(await scrape(), 'db')).toMatchObject({ closed: 0, 'forced-open': 1 });
    db.disable();
    const m = await scrape();
    expect(stateOf(m, 'db')).toMatchObject({ 'forced-open': 0, disabled: 1 });
    expect(m.find('breakwater_state', { breaker: 'db' }).reduce((n, s) => n + s.value, 0)).toBe(1);
  });

  it('counts calls by outcome: success, failure, timeout, slow, rejected, ignored', async () => {
    const { clock, breaker, scrape } = setup();
    const api = breaker({
      name: 'api',
      failureThreshold: 3,
      timeout: 500,
      slowCallDurationThreshold: 100,
    });
    admit(api).success();
    const slow = admit(api);
    clock.advance(200);
    slow.success();
    admit(api).failure();
    admit(api).ignore();
    admit(api); // never settles: times out
    clock.advance(500);
    admit(api).failure(); // third failure in a row (the timeout counts): opens
    api.tryAcquire();
    api.tryAcquire();
    const m = await scrape();
    const calls = (outcome: string): number =>
      m.value('breakwater_calls_total', { breaker: 'api', outcome });
    expect(calls('success')).toBe(2);
    expect(calls('failure')).toBe(2);
    expect(calls('timeout')).toBe(1);
    expect(calls('slow')).toBe(2); // the 200 ms success and the 500 ms timeout
    expect(calls('ignored')).toBe(1);
    expect(calls('rejected')).toBe(2);
    expect(calls('cache_hit')).toBe(0);
  });

  it('counts transitions by from and to', async () => {
    const { clock, breaker, scrape } = setup();
    const db = breaker({ name: 'db', failureThreshold: 1 });
    admit(db).failure(); // closed → open
    clock.advance(1000);
    admit(db).failure(); // open → half-open → open
    clock.advance(2000);
    admit(db).success(); // open → half-open → closed
    const m = await scrape();
    const t = (from: string, to: string): number =>
      m.value('breakwater_transitions_total', { breaker: 'db', from, to });
    expect(t('closed', 'open')).toBe(1);
    expect(t('open', 'half-open')).toBe(2);
    expect(t('half-open', 'open')).toBe(1);
    expect(t('half-open', 'closed')).toBe(1);
    expect(m.find('breakwater_transitions_total', { breaker: 'db' })).toHaveLength(4);
  });

  it("reports the failure rate of the breaker's window as a 0–1 ratio", async () => {
    const { breaker, scrape } = setup();
    const db = breaker({
      name: 'db',
      failureRateThreshold: 90,
      window: { type: 'count', size: 4 },
    });
    admit(db).failure();
    admit(db).success();
    admit(db).success();
    admit(db).success();
    expect((await scrape()).value('breakwater_failure_rate', { breaker: 'db' })).toBe(0.25);
    admit(db).failure();
    admit(db).failure(); // the window now holds success, success, failure, failure
    expect((await scrape()).value('breakwater_failure_rate', { breaker: 'db' })).toBe(0.5);
  });

  it('puts call durations in the histogram buckets, with sum and count', async () => {
    const { clock, breaker, scrape } = setup({ buckets: [0.01, 0.1, 1] });
    const db = breaker({ name: 'db', failureThreshold: 100 });
    for (const ms of [5, 50, 50, 700, 3000]) {
      const permit = admit(db);
      clock.advance(ms);
      permit.success();
    }
    const m = await scrape();
    const bucket = (le: string): number =>
      m.value('breakwater_call_duration_seconds_bucket', { breaker: 'db', le });
    expect([bucket('0.01'), bucket('0.1'), bucket('1'), bucket('+Inf')]).toEqual([1, 3, 4, 5]);
    expect(m.value('breakwater_call_duration_seconds_count', { breaker: 'db' })).toBe(5);
    expect(m.value('breakwater_call_duration_seconds_sum', { breaker: 'db' })).toBeCloseTo(3.805);
  });

  it('counts cache hits published on the breakwater:cache channel for its own breakers only', async () => {
    const { breaker, scrape } = setup();
    breaker({ name: 'pages' });
    const publish = (event: CacheEvent): void =>
      diagnosticsChannel.channel(DIAGNOSTICS_CHANNELS.cache).publish(event);
    publish({ breaker: 'pages', key: undefined, action: 'hit', detail: 'circuit-open' });
    publish({ breaker: 'pages', key: undefined, action: 'hit', detail: 'circuit-open' });
    publish({ breaker: 'pages', key: undefined, action: 'store', detail: '' });
    publish({ breaker: 'elsewhere', key: undefined, action: 'hit', detail: 'circuit-open' });
    const m = await scrape();
    expect(m.value('breakwater_calls_total', { breaker: 'pages', outcome: 'cache_hit' })).toBe(2);
    expect(m.find('breakwater_calls_total', { breaker: 'elsewhere' })).toEqual([]);
  });

  it('removes every label set of a breaker that leaves the registry', async () => {
    const { clock, breaker, scrape } = setup();
    const db = breaker({ name: 'db', failureThreshold: 1 });
    const cache = breaker({ name: 'cache' });
    const p = admit(db);
    clock.advance(3);
    p.failure();
    admit(cache).success();
    expect((await scrape()).find('breakwater_transitions_total', { breaker: 'db' })).toHaveLength(
      1,
    );
    db.close();
    const m = await scrape();
    expect(m.samples.filter((s) => s.labels.breaker === 'db')).toEqual([]);
    expect(m.find('breakwater_state', { breaker: 'cache' })).toHaveLength(5);
    expect(m.value('breakwater_call_duration_seconds_count', { breaker: 'cache' })).toBe(1);
  });

  it('keeps label cardinality bounded by maxBreakers as keyed breakers are evicted', async () => {
    const { registry, scrape } = setup();
    const family = new KeyedBreakers({ name: 'tenant', registry, failureThreshold: 1 }, 3);
    cleanups.push(() => family.close());
    for (let i = 0; i < 20; i++) admit(family.get(`t${i}`)).failure();
    const m = await scrape();
    const breakers = new Set(m.samples.map((s) => s.labels.breaker));
    expect(breakers.size).toBe(3);
    expect(m.find('breakwater_state')).toHaveLength(15);
    expect(m.find('breakwater_transitions_total')).toHaveLength(3);
  });

  it('the disposer unsubscribes, stops call timing and removes the metrics', async () => {
    const { clock, registry, register, metrics, breaker } = setup();
    const db = breaker({ name: 'db' });
    metrics.dispose();
    metrics.dispose();
    expect(await register.metrics()).not.toContain('breakwater_');
    const durations: number[] = [];
    const probe: Disposable = registry.onCall((e) => durations.push(e.durationMs));
    probe.dispose();
    const permit = db.tryAcquire() as Permit;
    expect(permit.startedAt).toBe(-1); // nobody listens to calls: not timed
    clock.advance(1);
    permit.success();
    // registering again on the same registry works once the first set is gone
    const again = registerMetrics(register, { registry });
    again.dispose();
  });

  it('buckets: false leaves the histogram out and does not time calls', async () => {
    const { breaker, register } = setup({ buckets: false });
    const db = breaker({ name: 'db' });
    expect((db.tryAcquire() as Permit).startedAt).toBe(-1);
    const m = readMetrics(await register.metrics());
    expect(m.typeOf('breakwater_call_duration_seconds')).toBeUndefined();
    expect(m.typeOf('breakwater_state')).toBe('GAUGE');
  });

  it('refuses to register twice on one prom-client registry, and rejects bad buckets', () => {
    const { register, registry } = setup();
    expect(() => registerMetrics(register, { registry })).toThrow(/already been registered/);
    expect(() => registerMetrics(new Registry(), { registry, buckets: [0.1, -1] })).toThrow(
      TypeError,
    );
  });

  it("defaults to prom-client's global registry and core's default registry", async () => {
    const metrics = registerMetrics();
    try {
      const db = new CircuitBreaker({ name: 'global-default-db' });
      cleanups.push(() => db.close());
      db.forceOpen();
      const m = readMetrics(await globalRegister.metrics());
      expect(
        m.value('breakwater_state', { breaker: 'global-default-db', state: 'forced-open' }),
      ).toBe(1);
    } finally {
      metrics.dispose();
    }
    expect(await globalRegister.metrics()).not.toContain('breakwater_state');
  });
});
