// BreakerMetrics: reads a registry's breakers into neutral samples, shared by the Prometheus and OpenTelemetry packages.

import diagnosticsChannel from 'node:diagnostics_channel';
import {
  DIAGNOSTICS_CHANNELS,
  type BreakerConfig,
  type BreakerRegistry,
  type BreakerSnapshot,
  type CacheEvent,
  type CircuitBreaker,
  type CircuitState,
  type Disposable,
} from '@breakwater/core';
import type { Collection, DurationSink, Sample, SeriesLabels } from './collection.js';
import { parseGranularity, type Granularity } from './granularity.js';
import { StoreNames } from './store-health.js';
import { TRANSITION_PAIRS, pairKey } from './transition-pairs.js';

const STATES: readonly CircuitState[] = ['closed', 'open', 'half-open', 'forced-open', 'disabled'];
const OUTCOMES = [
  'success',
  'failure',
  'timeout',
  'slow',
  'rejected',
  'ignored',
  'wouldReject',
] as const;
/** The `outcome` label of a snapshot total (`wouldReject` → `would_reject`). */
const outcomeLabel = (outcome: (typeof OUTCOMES)[number]): string =>
  outcome === 'wouldReject' ? 'would_reject' : outcome;
type Totals = Record<(typeof OUTCOMES)[number], number>;
const zeroTotals = (): Totals => ({
  success: 0,
  failure: 0,
  timeout: 0,
  slow: 0,
  rejected: 0,
  ignored: 0,
  wouldReject: 0,
});

/** One exposed series set: a breaker of its own, or a family summed up. */
interface Target<S> {
  readonly labels: SeriesLabels;
  readonly transitions: Map<string, { from: CircuitState; to: CircuitState; count: number }>;
  cacheHits: number;
  duration: S | undefined;
}

/** A keyed family: its evictions, the totals of breakers that left, and its summed target. */
interface Family<S> {
  readonly name: string;
  evictions: number;
  /** The options of the last breaker seen, for the thresholds of an empty family. */
  config: BreakerConfig;
  /** Set when the family is exposed as a whole. */
  readonly aggregate: Target<S> | undefined;
  /** Lifetime totals of the family's breakers that left (evicted or closed). */
  readonly retired: Totals;
}

/** Per-collection sums for one target. */
interface Accumulator<S> {
  readonly target: Target<S>;
  readonly states: number[];
  readonly totals: Totals;
  calls: number;
  failures: number;
  slowCalls: number;
  config: BreakerConfig;
}

/** Options of {@link BreakerMetrics}. */
export interface BreakerMetricsOptions<S> {
  readonly registry: BreakerRegistry;
  /** The `metrics` option, validated here. */
  readonly metrics?: unknown;
  /** Call durations go here; without one, calls are not listened to (nor timed). */
  readonly durations?: DurationSink<S>;
}

/**
 * Tracks what cannot be read from a breaker at collection time (transitions, cache hits, evictions,
 * the totals of evicted family members, call durations) and reads everything else from one
 * snapshot per breaker when {@link BreakerMetrics.collect} is called. Without a duration sink it
 * adds no work per request: transitions, cache hits and evictions are rare events.
 */
export class BreakerMetrics<S = never> implements Disposable {
  private readonly registry: BreakerRegistry;
  private readonly granularity: (family: string) => Granularity;
  private readonly durations: DurationSink<S> | undefined;
  /** The target of each breaker seen and still in the registry, by name. */
  private readonly members = new Map<string, { breaker: CircuitBreaker; target: Target<S> }>();
  private readonly families = new Map<string, Family<S>>();
  private readonly stores = new StoreNames();
  private readonly subscriptions: Disposable[] = [];
  private cached: Collection | undefined;
  private disposed = false;

  constructor(options: BreakerMetricsOptions<S>) {
    this.registry = options.registry;
    this.granularity = parseGranularity(options.metrics);
    this.durations = options.durations;
    const registry = this.registry;
    this.subscriptions.push(
      registry.onStateChange((event) => {
        const target = this.targetOf(event.breaker);
        if (target === undefined) return;
        const key = pairKey(event.from, event.to);
        const entry = target.transitions.get(key);
        if (entry === undefined) {
          target.transitions.set(key, { from: event.from, to: event.to, count: 1 });
        } else entry.count++;
      }),
      registry.onEvict((breaker) => {
        if (breaker.family !== undefined) this.familyOf(breaker.family, breaker.config).evictions++;
      }),
      registry.onRemove((breaker) => this.leave(breaker)),
    );
    const sink = this.durations;
    if (sink !== undefined) {
      this.subscriptions.push(
        registry.onCall((event) => {
          const target = this.targetOf(event.breaker);
          if (target === undefined) return;
          sink.record((target.duration ??= sink.seriesOf(target.labels)), event.durationMs / 1000);
        }),
      );
    }
    // Cache hits are published by the response cache on diagnostics_channel only.
    const onCache = (message: unknown): void => {
      const event = message as CacheEvent;
      if (event.action !== 'hit') return;
      const target = this.targetOf(event.breaker);
      if (target !== undefined) target.cacheHits++;
    };
    diagnosticsChannel.subscribe(DIAGNOSTICS_CHANNELS.cache, onCache);
    this.subscriptions.push({
      dispose: () => diagnosticsChannel.unsubscribe(DIAGNOSTICS_CHANNELS.cache, onCache),
    });
  }

  /**
   * Every sample, read now. Calls within one tick share one collection (one snapshot per breaker),
   * since a Prometheus registry collects each metric separately.
   */
  collect(): Collection {
    if (this.cached !== undefined) return this.cached;
    const collection = this.read();
    this.cached = collection;
    queueMicrotask(() => {
      this.cached = undefined;
    });
    return collection;
  }

  /** Unsubscribes from the registry and forgets every count. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const subscription of this.subscriptions) subscription.dispose();
    this.members.clear();
    this.families.clear();
  }

  /** The target of the breaker named `name`, attaching it on first sight; none once it has left. */
  private targetOf(name: string): Target<S> | undefined {
    const member = this.members.get(name);
    if (member !== undefined) return member.target;
    const breaker = this.registry.get(name);
    return breaker === undefined ? undefined : this.attach(breaker);
  }

  private attach(breaker: CircuitBreaker): Target<S> {
    let target: Target<S>;
    if (breaker.family === undefined) {
      target = newTarget({ breaker: breaker.name });
    } else {
      const family = this.familyOf(breaker.family, breaker.config);
      target = family.aggregate ?? newTarget({ breaker: breaker.name, family: breaker.family });
    }
    this.members.set(breaker.name, { breaker, target });
    return target;
  }

  private familyOf(name: string, config: BreakerConfig): Family<S> {
    let family = this.families.get(name);
    if (family === undefined) {
      const whole = this.granularity(name) === 'family';
      family = {
        name,
        evictions: 0,
        config,
        aggregate: whole ? newTarget({ breaker: name, family: name }) : undefined,
        retired: zeroTotals(),
      };
      this.families.set(name, family);
    }
    return family;
  }

  /** A breaker left its registry: its series go, or its totals stay in its family's sums. */
  private leave(breaker: CircuitBreaker): void {
    const member = this.members.get(breaker.name);
    if (member !== undefined && member.breaker !== breaker) return;
    this.members.delete(breaker.name);
    // Counted even when never collected: a family's calls_total must not drop when a member goes.
    const family =
      breaker.family === undefined ? undefined : this.familyOf(breaker.family, breaker.config);
    if (family?.aggregate !== undefined) {
      const totals = breaker.snapshot().totals;
      for (const outcome of OUTCOMES) family.retired[outcome] += totals[outcome];
      return;
    }
    if (member !== undefined) this.durations?.forget(member.target.labels);
  }

  private read(): Collection {
    const accumulators = new Map<Target<S>, Accumulator<S>>();
    const familySizes = new Map<string, number>();
    const stores = new Set<CircuitBreaker['store']>();
    const accumulatorOf = (target: Target<S>, config: BreakerConfig): Accumulator<S> => {
      let acc = accumulators.get(target);
      if (acc === undefined) {
        acc = {
          target,
          states: [0, 0, 0, 0, 0],
          totals: zeroTotals(),
          calls: 0,
          failures: 0,
          slowCalls: 0,
          config,
        };
        accumulators.set(target, acc);
      }
      return acc;
    };
    for (const breaker of this.registry.list()) {
      const snap: BreakerSnapshot = breaker.snapshot();
      const target = this.targetOf(breaker.name)!;
      const acc = accumulatorOf(target, breaker.config);
      acc.states[STATES.indexOf(snap.state)]!++;
      for (const outcome of OUTCOMES) acc.totals[outcome] += snap.totals[outcome];
      acc.calls += snap.window.calls;
      acc.failures += snap.window.failures;
      acc.slowCalls += snap.window.slowCalls;
      stores.add(breaker.store);
      if (breaker.family !== undefined) {
        familySizes.set(breaker.family, (familySizes.get(breaker.family) ?? 0) + 1);
        this.families.get(breaker.family)!.config = breaker.config;
      }
    }
    // A family exposed as a whole keeps its series while it has no breaker, and adds its retired totals.
    for (const family of this.families.values()) {
      if (family.aggregate === undefined) continue;
      const acc = accumulatorOf(family.aggregate, family.config);
      for (const outcome of OUTCOMES) acc.totals[outcome] += family.retired[outcome];
    }

    const out: Collection = {
      state: [],
      calls: [],
      transitions: [],
      failureRate: [],
      slowCallRate: [],
      thresholds: [],
      familyBreakers: [],
      familyEvictions: [],
      storeUp: [],
      storeEvents: [],
    };
    for (const acc of accumulators.values()) {
      const labels = acc.target.labels;
      const labelled = (extra: Record<string, string>): Record<string, string> => ({
        ...labels,
        ...extra,
      });
      STATES.forEach((state, i) =>
        out.state.push({ labels: labelled({ state }), value: acc.states[i]! }),
      );
      for (const outcome of OUTCOMES) {
        out.calls.push({
          labels: labelled({ outcome: outcomeLabel(outcome) }),
          value: acc.totals[outcome],
        });
      }
      out.calls.push({ labels: labelled({ outcome: 'cache_hit' }), value: acc.target.cacheHits });
      for (const { from, to, count } of acc.target.transitions.values()) {
        out.transitions.push({ labels: labelled({ from, to }), value: count });
      }
      out.failureRate.push({ labels, value: acc.calls === 0 ? 0 : acc.failures / acc.calls });
      out.slowCallRate.push({ labels, value: acc.calls === 0 ? 0 : acc.slowCalls / acc.calls });
      pushThresholds(out.thresholds, labels, acc.config);
    }
    for (const family of this.families.values()) {
      const labels = { family: family.name };
      out.familyBreakers.push({ labels, value: familySizes.get(family.name) ?? 0 });
      out.familyEvictions.push({ labels, value: family.evictions });
    }
    for (const { store, up, events } of this.stores.read(stores)) {
      out.storeUp.push({ labels: { store }, value: up ? 1 : 0 });
      for (const [event, value] of events)
        out.storeEvents.push({ labels: { store, event }, value });
    }
    return out;
  }
}

function newTarget<S>(labels: SeriesLabels): Target<S> {
  const transitions: Target<S>['transitions'] = new Map();
  for (const { from, to } of TRANSITION_PAIRS) {
    transitions.set(pairKey(from, to), { from, to, count: 0 });
  }
  return { labels: Object.freeze({ ...labels }), transitions, cacheHits: 0, duration: undefined };
}

/** The thresholds a breaker is configured with, in the units of the metrics they compare with. */
function pushThresholds(out: Sample[], labels: SeriesLabels, config: BreakerConfig): void {
  const add = (threshold: string, value: number | undefined): void => {
    if (value !== undefined) out.push({ labels: { ...labels, threshold }, value });
  };
  add('failure_count', config.failureThreshold);
  add(
    'failure_rate',
    config.failureRateThreshold === undefined ? undefined : config.failureRateThreshold / 100,
  );
  add(
    'slow_call_rate',
    config.slowCallRateThreshold === undefined ? undefined : config.slowCallRateThreshold / 100,
  );
  add(
    'slow_call_duration_seconds',
    config.slowCallDurationThreshold === undefined
      ? undefined
      : config.slowCallDurationThreshold / 1000,
  );
  add('minimum_calls', config.minimumCalls);
  add('open_duration_seconds', config.openDuration / 1000);
}
