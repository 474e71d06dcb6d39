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
import { admit } from '@breakwater/test-support';
import { readMetrics, type ReadMetrics } from './read-metrics.testing.js';
import { registerMetrics, type MetricsOptions } from './register-metrics.js';

const cleanups: (() => void)[] = [];

afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function setup(options: Omit<MetricsOptions, 'registry'> = {}) {
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
    expect(t('closed', 'forced-open')).toBe(0);
    expect(m.find('breakwater_transitions_total', { breaker: 'db' })).toHaveLength(19);
  });

  it('starts every transition pair at 0 when a breaker is first seen, so increase() counts the first trip', async () => {
    const { breaker, scrape } = setup();
    const db = breaker({ name: 'db', failureThreshold: 1 });
    const before = await scrape();
    const pairs = before.find('breakwater_transitions_total', { breaker: 'db' });
    expect(pairs).toHaveLength(19);
    expect(pairs.every((s) => s.value === 0)).toBe(true);
    expect(
      before.value('breakwater_transitions_total', { breaker: 'db', from: 'closed', to: 'open' }),
    ).toBe(0);
    admit(db).failure();
    const after = await scrape();
    expect(
      after.value('breakwater_transitions_total', { breaker: 'db', from: 'closed', to: 'open' }),
    ).toBe(1);
  });

  it('counts every transition the state machine can make within the 19 pairs created up front', async () => {
    const { clock, breaker, scrape } = setup();
    const db = breaker({ name: 'db', failureThreshold: 1 });
    const first = new Set(
      (await scrape())
        .find('breakwater_transitions_total', { breaker: 'db' })
        .map((s) => `${s.labels.from}>${s.labels.to}`),
    );
    const steps: (() => void)[] = [
      () => db.reset(),
      () => admit(db).failure(),
      () => db.applyRemoteState({ state: 'open', retryAfterMs: 5000 }),
      () => clock.advance(5000),
      () => db.state,
      () => db.forceOpen(),
      () => db.forceOpen(),
      () => db.disable(),
      () => db.disable(),
      () => db.forceOpen(),
      () => db.reset(),
      () => db.disable(),
      () => db.reset(),
      () => admit(db).failure(),
      () => db.forceOpen(),
      () => db.reset(),
      () => admit(db).failure(),
      () => db.disable(),
      () => db.reset(),
      () => admit(db).failure(),
      () => db.applyRemoteState({ state: 'closed' }),
    ];
    for (const step of steps) step();
    const m = await scrape();
    const seen = m.find('breakwater_transitions_total', { breaker: 'db' });
    expect(
      seen.map((s) => `${s.labels.from}>${s.labels.to}`).every((pair) => first.has(pair)),
    ).toBe(true);
    expect(seen.filter((s) => s.value > 0).length).toBeGreaterThanOrEqual(12);
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
      19,
    );
    db.close();
    const m = await scrape();
    expect(m.samples.filter((s) => s.labels.breaker === 'db')).toEqual([]);
    expect(m.find('breakwater_state', { breaker: 'cache' })).toHaveLength(5);
    expect(m.value('breakwater_call_duration_seconds_count', { breaker: 'cache' })).toBe(1);
  });

  it('sums a keyed family into one series set by default, however many keys come and go', async () => {
    const { registry, scrape } = setup();
    const family = new KeyedBreakers({ name: 'tenant', registry, failureThreshold: 2 }, 3);
    cleanups.push(() => family.close());
    const seriesBefore = (await scrape()).samples.length;
    // one failure each keeps them closed (so evictable: open breakers are never evicted) …
    for (let i = 0; i < 20; i++) admit(family.get(`t${i}`)).failure();
    // … and a second one opens the last
    admit(family.get('t19')).failure();
    family.get('t19').tryAcquire();
    const m = await scrape();
    const labels = { breaker: 'tenant', family: 'tenant' };
    expect(
      new Set(
        m.samples
          .filter((s) => s.labels.family !== undefined && s.labels.breaker !== undefined)
          .map((s) => s.labels.breaker),
      ),
    ).toEqual(new Set(['tenant']));
    expect(m.value('breakwater_state', { ...labels, state: 'open' })).toBe(1);
    expect(m.value('breakwater_state', { ...labels, state: 'closed' })).toBe(2);
    // evicted breakers' counts stay in the family's totals: the counter never goes down
    expect(m.value('breakwater_calls_total', { ...labels, outcome: 'failure' })).toBe(21);
    expect(
      m.value('breakwater_calls_total', { ...labels, outcome: 'rejected' }),
    ).toBeGreaterThanOrEqual(1);
    expect(m.value('breakwater_transitions_total', { ...labels, from: 'closed', to: 'open' })).toBe(
      1,
    );
    expect(m.value('breakwater_family_breakers', { family: 'tenant' })).toBe(3);
    expect(m.value('breakwater_family_evictions_total', { family: 'tenant' })).toBe(17);
    expect(m.value('breakwater_call_duration_seconds_count', labels)).toBe(21);
    for (let i = 20; i < 40; i++) admit(family.get(`t${i}`)).success();
    expect((await scrape()).samples.length).toBe(m.samples.length);
    expect(seriesBefore).toBeLessThan(m.samples.length);
  });

  it("metrics: 'breaker' exposes each keyed breaker with its family label, bounded by maxBreakers", async () => {
    const { registry, scrape } = setup({ metrics: 'breaker' });
    const family = new KeyedBreakers({ name: 'tenant', registry, failureThreshold: 2 }, 3);
    cleanups.push(() => family.close());
    for (let i = 0; i < 20; i++) admit(family.get(`t${i}`)).failure();
    admit(family.get('t19')).failure();
    const m = await scrape();
    const keyed = m.samples.filter(
      (s) => s.labels.family === 'tenant' && s.labels.breaker !== undefined,
    );
    expect(new Set(keyed.map((s) => s.labels.breaker))).toEqual(
      new Set(['tenant:t17', 'tenant:t18', 'tenant:t19']),
    );
    expect(m.find('breakwater_state', { family: 'tenant' })).toHaveLength(15);
    expect(
      m.value('breakwater_state', { breaker: 'tenant:t19', family: 'tenant', state: 'open' }),
    ).toBe(1);
    expect(m.value('breakwater_family_evictions_total', { family: 'tenant' })).toBe(17);
    expect(m.value('breakwater_family_breakers', { family: 'tenant' })).toBe(3);
  });

  it('picks the granularity per family name when metrics is an object', async () => {
    const { registry, scrape } = setup({ metrics: { upstream: 'breaker' } });
    const upstream = new KeyedBreakers({ name: 'upstream', registry }, 10);
    const tenant = new KeyedBreakers({ name: 'tenant', registry }, 10);
    cleanups.push(
      () => upstream.close(),
      () => tenant.close(),
    );
    admit(upstream.get('a')).success();
    admit(tenant.get('a')).success();
    const m = await scrape();
    expect(m.find('breakwater_state', { breaker: 'upstream:a', family: 'upstream' })).toHaveLength(
      5,
    );
    expect(m.find('breakwater_state', { breaker: 'tenant', family: 'tenant' })).toHaveLength(5);
    expect(m.find('breakwater_state', { breaker: 'tenant:a' })).toEqual([]);
  });

  it('rejects a bad metrics option naming the option and the value', () => {
    expect(() => registerMetrics(new Registry(), { metrics: 'key' as never })).toThrow(
      /"metrics".*"key"/,
    );
    expect(() => registerMetrics(new Registry(), { metrics: { tenant: 'all' } as never })).toThrow(
      /metrics\["tenant"\]/,
    );
  });

  it('exposes the configured thresholds and the slow-call rate in the units they compare with', async () => {
    const { clock, breaker, scrape } = setup();
    const api = breaker({
      name: 'api',
      failureRateThreshold: 50,
      slowCallRateThreshold: 25,
      slowCallDurationThreshold: 200,
      minimumCalls: 4,
    });
    const slow = admit(api);
    clock.advance(300);
    slow.success();
    admit(api).success();
    const m = await scrape();
    const threshold = (name: string): number =>
      m.value('breakwater_threshold', { breaker: 'api', threshold: name });
    expect(threshold('failure_rate')).toBe(0.5);
    expect(threshold('slow_call_rate')).toBe(0.25);
    expect(threshold('slow_call_duration_seconds')).toBe(0.2);
    expect(threshold('minimum_calls')).toBe(4);
    expect(threshold('open_duration_seconds')).toBe(1);
    expect(m.find('breakwater_threshold', { breaker: 'api', threshold: 'failure_count' })).toEqual(
      [],
    );
    expect(m.value('breakwater_slow_call_rate', { breaker: 'api' })).toBe(0.5);
  });

  it('reports the health of stores that report it, and ignores the in-memory one', async () => {
    const { breaker, scrape } = setup();
    class FakeRedisStore {
      connected = true;
      stats = { errors: 2, outages: 1, leasesTaken: 4 };
      attach(): void {}
      detach(): void {}
    }
    const store = new FakeRedisStore();
    breaker({ name: 'shared', store });
    breaker({ name: 'shared-too', store });
    breaker({ name: 'local' });
    let m = await scrape();
    expect(m.value('breakwater_store_up', { store: 'FakeRedisStore' })).toBe(1);
    expect(
      m.value('breakwater_store_events_total', { store: 'FakeRedisStore', event: 'errors' }),
    ).toBe(2);
    expect(
      m.value('breakwater_store_events_total', { store: 'FakeRedisStore', event: 'leases_taken' }),
    ).toBe(4);
    expect(m.find('breakwater_store_up')).toHaveLength(1);
    store.connected = false;
    m = await scrape();
    expect(m.value('breakwater_store_up', { store: 'FakeRedisStore' })).toBe(0);
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
