// Span events: a rejection and a trip recorded on the span active when they happen, and nothing without one.
import {
  BreakerRegistry,
  CircuitBreaker,
  KeyedBreakers,
  ManualClock,
  type Permit,
} from '@breakwater/core';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerMetrics } from './register-metrics.js';
import { testMeter } from './test-reader.testing.js';

const exporter = new InMemorySpanExporter();
const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
const tracer = provider.getTracer('breakwater-test');
const contextManager = new AsyncLocalStorageContextManager();

beforeAll(() => {
  context.setGlobalContextManager(contextManager.enable());
});
afterAll(async () => {
  context.disable();
  await provider.shutdown();
});

function inSpan(name: string, fn: () => void): void {
  tracer.startActiveSpan(name, (span) => {
    try {
      fn();
    } finally {
      span.end();
    }
  });
}

describe('spanEvents', () => {
  it('adds breakwater.transition to the span of the request that tripped, breakwater.reject to the rejected ones', () => {
    exporter.reset();
    const registry = new BreakerRegistry();
    const { meter } = testMeter();
    const metrics = registerMetrics(meter, { registry, spanEvents: true, buckets: false });
    const db = new CircuitBreaker({
      name: 'db',
      registry,
      clock: new ManualClock(0),
      failureThreshold: 1,
    });
    const tenants = new KeyedBreakers({ name: 'tenant', registry, failureThreshold: 1 }, 10);
    try {
      inSpan('GET /db failing', () => (db.tryAcquire() as Permit).failure());
      inSpan('GET /db rejected', () => db.tryAcquire());
      inSpan('GET /tenant', () => {
        (tenants.get('acme').tryAcquire() as Permit).failure();
        tenants.get('acme').tryAcquire();
      });
      db.tryAcquire(); // no active span: nothing to record on, nothing thrown
      const spans = Object.fromEntries(exporter.getFinishedSpans().map((s) => [s.name, s.events]));
      expect(spans['GET /db failing']).toMatchObject([
        {
          name: 'breakwater.transition',
          attributes: {
            'breakwater.breaker': 'db',
            'breakwater.from': 'closed',
            'breakwater.to': 'open',
            'breakwater.reason': 'failure-threshold',
          },
        },
      ]);
      expect(spans['GET /db rejected']).toHaveLength(1);
      expect(spans['GET /db rejected']![0]).toMatchObject({
        name: 'breakwater.reject',
        attributes: { 'breakwater.breaker': 'db', 'breakwater.state': 'open' },
      });
      expect(
        spans['GET /db rejected']![0]!.attributes!['breakwater.retry_after_ms'],
      ).toBeGreaterThan(0);
      expect(
        spans['GET /tenant']!.map((e) => [e.name, e.attributes!['breakwater.family']]),
      ).toEqual([
        ['breakwater.transition', 'tenant'],
        ['breakwater.reject', 'tenant'],
      ]);
    } finally {
      metrics.dispose();
      db.close();
      tenants.close();
    }
  });

  it('is off by default, and dispose() stops it', () => {
    exporter.reset();
    const registry = new BreakerRegistry();
    const { meter } = testMeter();
    const quiet = registerMetrics(meter, { registry, buckets: false });
    const db = new CircuitBreaker({ name: 'db', registry, failureThreshold: 1 });
    inSpan('off', () => (db.tryAcquire() as Permit).failure());
    quiet.dispose();
    const loud = registerMetrics(meter, { registry, buckets: false, spanEvents: true });
    loud.dispose();
    inSpan('disposed', () => db.tryAcquire());
    db.close();
    expect(exporter.getFinishedSpans().flatMap((s) => s.events)).toEqual([]);
    expect(trace.getActiveSpan()).toBeUndefined();
  });
});
