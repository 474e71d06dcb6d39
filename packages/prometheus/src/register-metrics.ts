// registerMetrics(): exposes every breaker of a BreakerRegistry as Prometheus metrics through prom-client.

import diagnosticsChannel from 'node:diagnostics_channel';
import {
  DIAGNOSTICS_CHANNELS,
  defaultRegistry,
  type BreakerRegistry,
  type BreakerSnapshot,
  type CacheEvent,
  type CallEvent,
  type CircuitBreaker,
  type CircuitState,
  type Disposable,
  type StateChangeEvent,
} from '@breakwater/core';
import { Counter, Gauge, register as globalRegister, type Registry } from 'prom-client';
import { DurationHistogram, type DurationSeries } from './duration-histogram.js';
import { CALL_OUTCOMES, DEFAULT_DURATION_BUCKETS, METRIC_NAMES } from './metric-names.js';

/** Options of {@link registerMetrics}. */
export interface MetricsOptions {
  /** Whose breakers to expose. @defaultValue core's process-wide `defaultRegistry` */
  registry?: BreakerRegistry;
  /**
   * Upper bounds, in seconds, of `breakwater_call_duration_seconds`; `false` leaves the histogram
   * out (and with it the call timing it turns on).
   * @defaultValue `[0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]`
   */
  buckets?: readonly number[] | false;
}

const STATES: readonly CircuitState[] = ['closed', 'open', 'half-open', 'forced-open', 'disabled'];

/** What is tracked per breaker between scrapes; everything else is read from its snapshot. */
interface BreakerRecord {
  readonly breaker: CircuitBreaker;
  /** Transition counts keyed `from>to`. */
  readonly transitions: Map<string, { from: CircuitState; to: CircuitState; count: number }>;
  cacheHits: number;
  /** The breaker's duration series, resolved on first sight. */
  duration: DurationSeries | undefined;
}

/**
 * Registers Breakwater's metrics on a prom-client registry:
 *
 * - `breakwater_state{breaker,state}`: 1 for the breaker's current state, 0 for the four others
 * - `breakwater_calls_total{breaker,outcome}`: outcomes `success`, `failure`, `timeout`, `slow`,
 *   `rejected`, `cache_hit`, `ignored` (`slow` also counts in `success`/`failure`; `cache_hit`
 *   counts rejected calls answered from the response cache, which also count in `rejected`)
 * - `breakwater_transitions_total{breaker,from,to}`
 * - `breakwater_failure_rate{breaker}`: failed share (0–1) of the calls in the breaker's window
 * - `breakwater_call_duration_seconds{breaker}`: a histogram of admitted calls' durations
 *
 * State, rate and call counts are read from each breaker when the registry is scraped, so they
 * cost nothing per call; transitions and cache hits are counted from events; only the histogram
 * listens to every call. A breaker's label sets disappear when it leaves its registry (closed, or
 * evicted from a keyed family), so cardinality stays bounded by the breakers alive.
 *
 * @param register - the prom-client registry; default its global `register`
 * @returns a disposer that unsubscribes from the breakers and removes the metrics from `register`
 *
 * @example
 * import { Registry } from 'prom-client';
 * const register = new Registry();
 * const metrics = registerMetrics(register);
 * app.get('/metrics', async (_req, res) => {
 *   res.type(register.contentType).send(await register.metrics());
 * });
 */
export function registerMetrics(register?: Registry, options: MetricsOptions = {}): Disposable {
  const target = register ?? globalRegister;
  const registry = options.registry ?? defaultRegistry;
  const buckets = options.buckets ?? DEFAULT_DURATION_BUCKETS;
  if (buckets !== false) {
    if (!Array.isArray(buckets) || buckets.some((b) => typeof b !== 'number' || !(b > 0))) {
      throw new TypeError(
        `registerMetrics: options.buckets must be an array of positive numbers (seconds) or false, received ${String(buckets)}`,
      );
    }
  }
  const records = new Map<string, BreakerRecord>();

  /** The record of a breaker seen for the first time; none for one that already left. */
  const recordOf = (name: string): BreakerRecord | undefined => {
    const existing = records.get(name);
    if (existing !== undefined) return existing;
    const breaker = registry.get(name);
    if (breaker === undefined) return undefined;
    const record: BreakerRecord = {
      breaker,
      transitions: new Map(),
      cacheHits: 0,
      duration: undefined,
    };
    records.set(name, record);
    return record;
  };

  // One snapshot per breaker per scrape, shared by every metric collected in that turn.
  let snapshots: readonly BreakerSnapshot[] | undefined;
  const currentSnapshots = (): readonly BreakerSnapshot[] => {
    if (snapshots === undefined) {
      snapshots = registry.list().map((breaker) => breaker.snapshot());
      queueMicrotask(() => {
        snapshots = undefined;
      });
    }
    return snapshots;
  };

  const metrics: { name: string }[] = [];
  const made = <M>(name: string, metric: M): M => {
    metrics.push({ name });
    return metric;
  };

  try {
    made(
      METRIC_NAMES.state,
      new Gauge({
        name: METRIC_NAMES.state,
        help: 'Circuit breaker state: 1 for the current state, 0 for the others.',
        labelNames: ['breaker', 'state'] as const,
        registers: [target],
        collect() {
          this.reset();
          for (const snap of currentSnapshots()) {
            for (const state of STATES) {
              this.set({ breaker: snap.name, state }, snap.state === state ? 1 : 0);
            }
          }
        },
      }),
    );

    made(
      METRIC_NAMES.calls,
      new Counter({
        name: METRIC_NAMES.calls,
        help: 'Calls through a circuit breaker, by outcome (slow and cache_hit overlap the others).',
        labelNames: ['breaker', 'outcome'] as const,
        registers: [target],
        collect() {
          this.reset();
          for (const snap of currentSnapshots()) {
            const totals = snap.totals;
            const cacheHits = records.get(snap.name)?.cacheHits ?? 0;
            for (const outcome of CALL_OUTCOMES) {
              const value = outcome === 'cache_hit' ? cacheHits : totals[outcome];
              this.inc({ breaker: snap.name, outcome }, value);
            }
          }
        },
      }),
    );

    made(
      METRIC_NAMES.transitions,
      new Counter({
        name: METRIC_NAMES.transitions,
        help: 'Circuit breaker state transitions since the metrics were registered.',
        labelNames: ['breaker', 'from', 'to'] as const,
        registers: [target],
        collect() {
          this.reset();
          for (const [breaker, record] of records) {
            for (const { from, to, count } of record.transitions.values()) {
              this.inc({ breaker, from, to }, count);
            }
          }
        },
      }),
    );

    made(
      METRIC_NAMES.failureRate,
      new Gauge({
        name: METRIC_NAMES.failureRate,
        help: "Failed share (0-1) of the calls in the circuit breaker's sliding window.",
        labelNames: ['breaker'] as const,
        registers: [target],
        collect() {
          this.reset();
          for (const snap of currentSnapshots()) {
            this.set({ breaker: snap.name }, snap.window.failureRate / 100);
          }
        },
      }),
    );
  } catch (error) {
    for (const { name } of metrics) target.removeSingleMetric(name);
    throw error;
  }

  let histogram: DurationHistogram | undefined;
  if (buckets !== false) {
    try {
      histogram = made(
        METRIC_NAMES.callDuration,
        new DurationHistogram(
          METRIC_NAMES.callDuration,
          'Duration of calls admitted by a circuit breaker, in seconds.',
          buckets,
          target,
        ),
      );
    } catch (error) {
      for (const { name } of metrics) target.removeSingleMetric(name);
      throw error;
    }
  }

  const subscriptions: Disposable[] = [];
  subscriptions.push(
    registry.onStateChange((event: StateChangeEvent) => {
      const record = recordOf(event.breaker);
      if (record === undefined) return;
      const id = `${event.from}>${event.to}`;
      const entry = record.transitions.get(id);
      if (entry === undefined) {
        record.transitions.set(id, { from: event.from, to: event.to, count: 1 });
      } else {
        entry.count++;
      }
    }),
    registry.onRemove((breaker) => {
      if (records.get(breaker.name)?.breaker !== breaker) return;
      records.delete(breaker.name);
      histogram?.forget(breaker.name);
    }),
  );

  if (histogram !== undefined) {
    const durations = histogram;
    subscriptions.push(
      registry.onCall((event: CallEvent) => {
        const record = recordOf(event.breaker);
        if (record === undefined) return;
        const series = (record.duration ??= durations.seriesOf(event.breaker));
        durations.record(series, event.durationMs / 1000);
      }),
    );
  }

  // Cache events come from the response cache, which publishes them on diagnostics_channel.
  const onCache = (message: unknown): void => {
    const event = message as CacheEvent;
    if (event.action !== 'hit') return;
    const record = recordOf(event.breaker);
    if (record !== undefined) record.cacheHits++;
  };
  diagnosticsChannel.subscribe(DIAGNOSTICS_CHANNELS.cache, onCache);
  subscriptions.push({
    dispose: () => diagnosticsChannel.unsubscribe(DIAGNOSTICS_CHANNELS.cache, onCache),
  });

  let disposed = false;
  return {
    dispose(): void {
      if (disposed) return;
      disposed = true;
      for (const subscription of subscriptions) subscription.dispose();
      for (const { name } of metrics) target.removeSingleMetric(name);
      records.clear();
    },
  };
}
