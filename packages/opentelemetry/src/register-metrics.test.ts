// registerMetrics(meter): instruments read through the OpenTelemetry SDK, compared with @breakwater/prometheus and its Prometheus rendering.
import {
  BreakerRegistry,
  CircuitBreaker,
  KeyedBreakers,
  ManualClock,
  type BreakerOptions,
  type Permit,
} from '@breakwater/core';
import { registerMetrics as registerPrometheus } from '@breakwater/prometheus';
import { PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { DataPointType } from '@opentelemetry/sdk-metrics';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { admit } from '@breakwater/test-support';
import { METRIC_NAMES } from '../../prometheus/src/metric-names.js';
import { readMetrics } from '../../prometheus/src/read-metrics.testing.js';
import { INSTRUMENT_NAMES } from './instrument-names.js';
import { registerMetrics, type OpenTelemetryMetricsOptions } from './register-metrics.js';
import { testMeter } from './test-reader.testing.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function setup(options: Omit<OpenTelemetryMetricsOptions, 'registry'> = {}) {
  const clock = new ManualClock(0);
  const registry = new BreakerRegistry();
  const { provider, meter, collect } = testMeter();
  const metrics = registerMetrics(meter, { registry, ...options });
  cleanups.push(
    () => provider.shutdown(),
    () => metrics.dispose(),
  );
  const breaker = (opts: BreakerOptions & { name: string }): CircuitBreaker => {
    const b = new CircuitBreaker({ registry, clock, openDuration: 1000, ...opts });
    cleanups.push(() => b.close());
    return b;
  };
  return { clock, registry, metrics, collect, breaker };
}

/** A scripted run: a trip, a failed probe round, rejections, a keyed family past maxBreakers. */
function script(
  clock: ManualClock,
  registry: BreakerRegistry,
  breaker: (o: BreakerOptions & { name: string }) => CircuitBreaker,
) {
  const db = breaker({
    name: 'db',
    failureThreshold: 2,
    failureRateThreshold: 50,
    minimumCalls: 4,
  });
  admit(db).success();
  const slow = admit(db);
  clock.advance(40);
  slow.failure();
  admit(db).failure(); // opens
  db.tryAcquire();
  clock.advance(1000);
  admit(db).failure(); // the probe fails: open again
  const tenants = new KeyedBreakers({ name: 'tenant', registry, clock, failureThreshold: 1 }, 3);
  cleanups.push(() => tenants.close());
  for (let i = 0; i < 8; i++) admit(tenants.get(`t${i}`)).failure();
  tenants.get('t7').tryAcquire();
}

describe('registerMetrics (OpenTelemetry)', () => {
  it('observes the state, calls, transitions and rates with the kinds of instrument they are', async () => {
    const { clock, breaker, collect } = setup();
    const db = breaker({ name: 'db', failureThreshold: 2 });
    let c = await collect();
    expect(c.value('breakwater.state', { breaker: 'db', state: 'closed' })).toBe(1);
    expect(c.points('breakwater.transitions', { breaker: 'db' })).toHaveLength(19);
    expect(c.value('breakwater.transitions', { breaker: 'db', from: 'closed', to: 'open' })).toBe(
      0,
    );
    admit(db).failure();
    admit(db).failure();
    db.tryAcquire();
    clock.advance(10);
    c = await collect();
    expect(c.value('breakwater.state', { breaker: 'db', state: 'open' })).toBe(1);
    expect(c.value('breakwater.state', { breaker: 'db', state: 'closed' })).toBe(0);
    expect(c.value('breakwater.calls', { breaker: 'db', outcome: 'failure' })).toBe(2);
    expect(c.value('breakwater.calls', { breaker: 'db', outcome: 'rejected' })).toBe(1);
    expect(c.value('breakwater.transitions', { breaker: 'db', from: 'closed', to: 'open' })).toBe(
      1,
    );
    expect(c.value('breakwater.failure_rate', { breaker: 'db' })).toBe(1);
    expect(c.value('breakwater.call.duration.seconds', { breaker: 'db' })).toBe(2);
    expect(c.metric('breakwater.state')!.dataPointType).toBe(DataPointType.GAUGE);
    const calls = c.metric('breakwater.calls')!;
    expect(calls.dataPointType).toBe(DataPointType.SUM);
    expect(calls.dataPointType === DataPointType.SUM && calls.isMonotonic).toBe(true);
    expect(c.metric('breakwater.call.duration.seconds')!.dataPointType).toBe(
      DataPointType.HISTOGRAM,
    );
    expect(c.metric('breakwater.call.duration.seconds')!.descriptor.unit).toBe('s');
  });

  it('reports the same attribute sets and values as @breakwater/prometheus for the same run', async () => {
    const { clock, registry, breaker, collect } = setup({ buckets: [0.01, 0.1, 1] });
    const register = new Registry();
    const prometheus = registerPrometheus(register, { registry, buckets: [0.01, 0.1, 1] });
    cleanups.push(() => prometheus.dispose());
    script(clock, registry, breaker);
    const otel = await collect();
    const prom = readMetrics(await register.metrics());
    const keys = Object.keys(INSTRUMENT_NAMES) as (keyof typeof INSTRUMENT_NAMES)[];
    for (const key of keys) {
      if (key === 'callDuration' || key === 'storeUp' || key === 'storeEvents') continue;
      const fromOtel = otel
        .points(INSTRUMENT_NAMES[key])
        .map((p) => JSON.stringify([p.attributes, p.value]))
        .sort();
      const fromProm = prom
        .find(METRIC_NAMES[key])
        .map((s) => JSON.stringify([s.labels, s.value]))
        .sort();
      expect(fromOtel.length, key).toBeGreaterThan(0);
      expect(fromOtel, key).toEqual(fromProm);
    }
    for (const breakerName of ['db', 'tenant']) {
      const labels: Record<string, string> =
        breakerName === 'db' ? { breaker: 'db' } : { breaker: 'tenant', family: 'tenant' };
      expect(otel.value('breakwater.call.duration.seconds', labels)).toBe(
        prom.value('breakwater_call_duration_seconds_count', labels),
      );
    }
  });

  it("renders, through OpenTelemetry's Prometheus exporter, as the metric names and labels of @breakwater/prometheus", async () => {
    const { clock, registry, breaker, collect } = setup();
    const register = new Registry();
    const prometheus = registerPrometheus(register, { registry });
    cleanups.push(() => prometheus.dispose());
    script(clock, registry, breaker);
    const serializer = new PrometheusSerializer(undefined, false, undefined, true, true);
    const viaOtel = readMetrics(serializer.serialize((await collect()).resourceMetrics));
    const direct = readMetrics(await register.metrics());
    const shape = (m: ReturnType<typeof readMetrics>) =>
      [
        ...new Set(m.samples.map((s) => `${s.name}{${Object.keys(s.labels).sort().join(',')}}`)),
      ].sort();
    expect(shape(viaOtel)).toEqual(shape(direct));
    expect(
      viaOtel.value('breakwater_transitions_total', { breaker: 'db', from: 'closed', to: 'open' }),
    ).toBe(1);
    expect(
      viaOtel.value('breakwater_state', { breaker: 'tenant', family: 'tenant', state: 'open' }),
    ).toBe(3);
  });

  it("metrics: 'breaker' reports each keyed breaker with its family, as the Prometheus package does", async () => {
    const { clock, registry, collect } = setup({ metrics: 'breaker' });
    const tenants = new KeyedBreakers({ name: 'tenant', registry, clock, failureThreshold: 2 }, 2);
    cleanups.push(() => tenants.close());
    // one failure each keeps them closed, so evictable (open breakers are never evicted)
    for (let i = 0; i < 5; i++) admit(tenants.get(`t${i}`)).failure();
    const c = await collect();
    expect(
      new Set(c.points('breakwater.state', { family: 'tenant' }).map((p) => p.attributes.breaker)),
    ).toEqual(new Set(['tenant:t3', 'tenant:t4']));
    expect(c.value('breakwater.family.evictions', { family: 'tenant' })).toBe(3);
    expect(c.value('breakwater.family.breakers', { family: 'tenant' })).toBe(2);
  });

  it('buckets: false leaves the histogram out and calls untimed; dispose stops observing', async () => {
    const { breaker, metrics, collect } = setup({ buckets: false });
    const db = breaker({ name: 'db' });
    expect((db.tryAcquire() as Permit).startedAt).toBe(-1);
    let c = await collect();
    expect(c.metric('breakwater.call.duration.seconds')).toBeUndefined();
    expect(c.points('breakwater.state', { breaker: 'db' })).toHaveLength(5);
    metrics.dispose();
    metrics.dispose();
    db.forceOpen(); // no longer observed: the SDK keeps reporting what it last saw
    c = await collect();
    expect(c.points('breakwater.state', { breaker: 'db', state: 'forced-open' })).toEqual([
      { attributes: { breaker: 'db', state: 'forced-open' }, value: 0 },
    ]);
  });

  it('rejects a bad meter, buckets, spanEvents or metrics option with a TypeError', () => {
    const { meter } = testMeter();
    const registry = new BreakerRegistry();
    expect(() => registerMetrics({} as never)).toThrow(/meter must be an OpenTelemetry Meter/);
    expect(() => registerMetrics(meter, { registry, buckets: [0, 1] })).toThrow(/buckets/);
    expect(() => registerMetrics(meter, { registry, spanEvents: 'yes' as never })).toThrow(
      /spanEvents/,
    );
    expect(() => registerMetrics(meter, { registry, metrics: 'keys' as never })).toThrow(
      /"metrics"/,
    );
  });
});
