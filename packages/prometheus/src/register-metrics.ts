// registerMetrics(): exposes every breaker of a BreakerRegistry as Prometheus metrics through prom-client.

import { defaultRegistry, type BreakerRegistry, type Disposable } from '@breakwater/core';
import { Counter, Gauge, register as globalRegister, type Registry } from 'prom-client';
import { DurationHistogram, type DurationSeries } from './duration-histogram.js';
import { DEFAULT_DURATION_BUCKETS, METRIC_HELP, METRIC_NAMES } from './metric-names.js';
import {
  BreakerMetrics,
  type Collection,
  type GranularityOption,
  type Sample,
} from './model/index.js';

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
  /**
   * How keyed families are exposed. `'family'`: one series set per family (`breaker` and `family`
   * both the family's name), summing its breakers, so series do not grow with the keys clients
   * send. `'breaker'`: one series set per keyed breaker, labelled with its `family`. An object
   * picks per family name (families it does not name stay `'family'`).
   * @defaultValue `'family'`
   */
  metrics?: GranularityOption;
}

/** The label names of each metric; `family` is set only for keyed breakers and families. */
const LABELS = {
  state: ['breaker', 'family', 'state'],
  calls: ['breaker', 'family', 'outcome'],
  transitions: ['breaker', 'family', 'from', 'to'],
  failureRate: ['breaker', 'family'],
  slowCallRate: ['breaker', 'family'],
  threshold: ['breaker', 'family', 'threshold'],
  familyBreakers: ['family'],
  familyEvictions: ['family'],
  storeUp: ['store'],
  storeEvents: ['store', 'event'],
} as const;

/** Which part of a collection each metric shows. */
const SAMPLES: { readonly [K in keyof typeof LABELS]: keyof Collection } = {
  state: 'state',
  calls: 'calls',
  transitions: 'transitions',
  failureRate: 'failureRate',
  slowCallRate: 'slowCallRate',
  threshold: 'thresholds',
  familyBreakers: 'familyBreakers',
  familyEvictions: 'familyEvictions',
  storeUp: 'storeUp',
  storeEvents: 'storeEvents',
};

const COUNTERS: ReadonlySet<string> = new Set([
  'calls',
  'transitions',
  'familyEvictions',
  'storeEvents',
]);

/**
 * Registers Breakwater's metrics on a prom-client registry:
 *
 * - `breakwater_state{breaker,family,state}`: 1 for a breaker's current state, 0 for the four
 *   others; for a keyed family exposed as a whole, how many of its breakers are in each state
 * - `breakwater_calls_total{breaker,family,outcome}`: outcomes `success`, `failure`, `timeout`,
 *   `slow`, `rejected`, `cache_hit`, `ignored`, `would_reject` (calls a shadow breaker admitted)
 * - `breakwater_transitions_total{breaker,family,from,to}`: every pair core can make starts at 0
 * - `breakwater_failure_rate` and `breakwater_slow_call_rate{breaker,family}`: shares (0–1) of the
 *   calls in the sliding window
 * - `breakwater_threshold{breaker,family,threshold}`: the configured thresholds
 * - `breakwater_family_breakers{family}` and `breakwater_family_evictions_total{family}`
 * - `breakwater_store_up{store}` and `breakwater_store_events_total{store,event}` for stores that
 *   report their health (`RedisStore`)
 * - `breakwater_call_duration_seconds{breaker,family}`: a histogram of admitted calls' durations
 *
 * Everything but the histogram is read when the registry is scraped (one snapshot per breaker per
 * scrape) or counted from rare events, so it costs nothing per call; only the histogram listens to
 * every call. A breaker's own label sets disappear when it leaves its registry; a family's stay.
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

  const registered: string[] = [];
  const removeAll = (): void => {
    for (const name of registered) target.removeSingleMetric(name);
  };
  let histogram: DurationHistogram | undefined;
  let model: BreakerMetrics<DurationSeries> | undefined;
  try {
    for (const key of Object.keys(LABELS) as (keyof typeof LABELS)[]) {
      const name = METRIC_NAMES[key];
      const part = SAMPLES[key];
      const collect = function (this: Gauge<string> | Counter<string>): void {
        this.reset();
        if (model === undefined) return;
        for (const { labels, value } of model.collect()[part] as Sample[]) {
          if (this instanceof Gauge) this.set(labels, value);
          else this.inc(labels, value);
        }
      };
      const config = {
        name,
        help: METRIC_HELP[key],
        labelNames: LABELS[key],
        registers: [target],
        collect,
      };
      if (COUNTERS.has(key)) new Counter(config);
      else new Gauge(config);
      registered.push(name);
    }
    if (buckets !== false) {
      histogram = new DurationHistogram(
        METRIC_NAMES.callDuration,
        METRIC_HELP.callDuration,
        buckets,
        target,
      );
      registered.push(METRIC_NAMES.callDuration);
    }
    model = new BreakerMetrics<DurationSeries>({
      registry,
      metrics: options.metrics,
      ...(histogram === undefined ? {} : { durations: histogram }),
    });
  } catch (error) {
    removeAll();
    throw error;
  }

  let disposed = false;
  return {
    dispose(): void {
      if (disposed) return;
      disposed = true;
      model?.dispose();
      removeAll();
    },
  };
}
