// The neutral metrics model: one snapshot pass per tick, family sums that never go down, series that leave with their breaker.
import {
  BreakerRegistry,
  CircuitBreaker,
  KeyedBreakers,
  ManualClock,
  type Permit,
} from '@breakwater/core';
import { describe, expect, it } from 'vitest';
import { BreakerMetrics } from './breaker-metrics.js';
import type { Collection, DurationSink, SeriesLabels } from './collection.js';

const value = (samples: Collection['calls'], labels: Record<string, string>): number | undefined =>
  samples.find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

/** A duration sink that remembers what it was told. */
class RecordingSink implements DurationSink<SeriesLabels> {
  readonly recorded: [string, number][] = [];
  readonly forgotten: string[] = [];
  seriesOf(labels: SeriesLabels): SeriesLabels {
    return labels;
  }
  record(series: SeriesLabels, seconds: number): void {
    this.recorded.push([series.breaker, seconds]);
  }
  forget(labels: SeriesLabels): void {
    this.forgotten.push(labels.breaker);
  }
}

describe('BreakerMetrics', () => {
  it('reads one collection per tick and a fresh one on the next', async () => {
    const registry = new BreakerRegistry();
    const model = new BreakerMetrics({ registry });
    const db = new CircuitBreaker({ name: 'db', registry });
    const first = model.collect();
    (db.tryAcquire() as Permit).success();
    expect(model.collect()).toBe(first);
    await Promise.resolve();
    const next = model.collect();
    expect(next).not.toBe(first);
    expect(value(next.calls, { breaker: 'db', outcome: 'success' })).toBe(1);
    model.dispose();
    db.close();
  });

  it("keeps a family's call totals from going down as members are evicted, collected or not", async () => {
    const registry = new BreakerRegistry();
    const model = new BreakerMetrics({ registry });
    const family = new KeyedBreakers({ name: 'tenant', registry, failureThreshold: 100 }, 2);
    const seen: number[] = [];
    for (let i = 0; i < 6; i++) {
      (family.get(`t${i}`).tryAcquire() as Permit).failure();
      if (i % 2 === 1) {
        seen.push(value(model.collect().calls, { breaker: 'tenant', outcome: 'failure' })!);
        await Promise.resolve();
      }
    }
    expect(seen).toEqual([2, 4, 6]);
    const c = model.collect();
    expect(value(c.familyEvictions, { family: 'tenant' })).toBe(4);
    expect(value(c.familyBreakers, { family: 'tenant' })).toBe(2);
    model.dispose();
    family.close();
  });

  it("records durations per family, or per breaker and forgets a breaker's series when it leaves", () => {
    const clock = new ManualClock(0);
    for (const metrics of ['family', 'breaker'] as const) {
      const registry = new BreakerRegistry();
      const sink = new RecordingSink();
      const model = new BreakerMetrics({ registry, metrics, durations: sink });
      const family = new KeyedBreakers({ name: 'tenant', registry, clock }, 1);
      const permit = family.get('a').tryAcquire() as Permit;
      clock.advance(250);
      permit.success();
      family.get('b'); // evicts a
      expect(sink.recorded).toEqual([[metrics === 'family' ? 'tenant' : 'tenant:a', 0.25]]);
      expect(sink.forgotten).toEqual(metrics === 'family' ? [] : ['tenant:a']);
      model.dispose();
      family.close();
    }
  });

  it('stops counting once disposed', () => {
    const registry = new BreakerRegistry();
    const model = new BreakerMetrics({ registry });
    const db = new CircuitBreaker({ name: 'db', registry, failureThreshold: 1 });
    model.dispose();
    (db.tryAcquire() as Permit).failure();
    expect(value(model.collect().transitions, { breaker: 'db', from: 'closed', to: 'open' })).toBe(
      0,
    );
    db.close();
  });
});
