// registerMetrics(meter): every breaker of a registry as OpenTelemetry instruments, observed at collection time.

import { defaultRegistry, type BreakerRegistry, type Disposable } from '@breakwater/core';
import type {
  Attributes,
  BatchObservableCallback,
  Histogram,
  Meter,
  Observable,
} from '@opentelemetry/api';
import { METRIC_HELP } from '../../prometheus/src/metric-names.js';
import {
  BreakerMetrics,
  type Collection,
  type DurationSink,
  type GranularityOption,
  type SeriesLabels,
} from '../../prometheus/src/model/index.js';
import { DEFAULT_DURATION_BOUNDARIES, INSTRUMENT_NAMES } from './instrument-names.js';
import { recordSpanEvents } from './span-events.js';

/** Options of {@link registerMetrics}. */
export interface OpenTelemetryMetricsOptions {
  /** Whose breakers to expose. @defaultValue core's process-wide `defaultRegistry` */
  registry?: BreakerRegistry;
  /**
   * Bucket boundaries, in seconds, advised for `breakwater.call.duration.seconds`; `false` leaves the
   * histogram out (and with it the per-call work and call timing).
   * @defaultValue `[0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]`
   */
  buckets?: readonly number[] | false;
  /**
   * How keyed families are exposed: `'family'` (one attribute set per family), `'breaker'`, or an
   * object naming the families exposed breaker by breaker. As in `@breakwater/prometheus`.
   * @defaultValue `'family'`
   */
  metrics?: GranularityOption;
  /**
   * Adds `breakwater.reject` and `breakwater.transition` events to the active span.
   * @defaultValue false
   */
  spanEvents?: boolean;
}

type Part = keyof Omit<typeof INSTRUMENT_NAMES, 'callDuration'>;

/** Which part of a collection each observable instrument reports, and whether it is a counter. */
const OBSERVED: readonly {
  part: Part;
  samples: keyof Collection;
  counter: boolean;
  unit: string;
}[] = [
  { part: 'state', samples: 'state', counter: false, unit: '{breaker}' },
  { part: 'calls', samples: 'calls', counter: true, unit: '{call}' },
  { part: 'transitions', samples: 'transitions', counter: true, unit: '{transition}' },
  { part: 'failureRate', samples: 'failureRate', counter: false, unit: '' },
  { part: 'slowCallRate', samples: 'slowCallRate', counter: false, unit: '' },
  { part: 'threshold', samples: 'thresholds', counter: false, unit: '' },
  { part: 'familyBreakers', samples: 'familyBreakers', counter: false, unit: '{breaker}' },
  { part: 'familyEvictions', samples: 'familyEvictions', counter: true, unit: '{breaker}' },
  { part: 'storeUp', samples: 'storeUp', counter: false, unit: '' },
  { part: 'storeEvents', samples: 'storeEvents', counter: true, unit: '{event}' },
];

/** Feeds `breakwater.call.duration.seconds`: the attribute set of each series is built once. */
class DurationRecorder implements DurationSink<Attributes> {
  constructor(private readonly histogram: Histogram) {}
  seriesOf(labels: SeriesLabels): Attributes {
    return labels;
  }
  record(series: Attributes, seconds: number): void {
    this.histogram.record(seconds, series);
  }
  forget(): void {
    // OpenTelemetry has no way to drop a series; with `metrics: 'family'` there are few to keep.
  }
}

/**
 * Registers Breakwater's instruments on an OpenTelemetry `Meter`, with the attributes
 * `@breakwater/prometheus` uses as labels (`breaker`, `family`, `state`, `outcome`, `from`, `to`,
 * `threshold`, `store`, `event`):
 *
 * - observable gauges `breakwater.state`, `breakwater.failure_rate`, `breakwater.slow_call_rate`,
 *   `breakwater.threshold`, `breakwater.family.breakers`, `breakwater.store.up`
 * - observable counters `breakwater.calls`, `breakwater.transitions`,
 *   `breakwater.family.evictions`, `breakwater.store.events`
 * - the histogram `breakwater.call.duration.seconds` (seconds)
 *
 * Observable instruments are read in one batch callback when the SDK collects (one snapshot per
 * breaker): no work per request. Only the histogram records per call; `buckets: false` leaves it
 * out. Through OpenTelemetry's Prometheus exporter the names become `breakwater_state`,
 * `breakwater_calls_total`… so the Grafana dashboard and alerting rules of `examples/monitoring`
 * apply unchanged.
 *
 * @returns a disposer that stops observing and unsubscribes from the breakers
 *
 * @example
 * import { metrics } from '@opentelemetry/api';
 * const breakwaterMetrics = registerMetrics(metrics.getMeter('my-service'), { spanEvents: true });
 */
export function registerMetrics(
  meter: Meter,
  options: OpenTelemetryMetricsOptions = {},
): Disposable {
  if (
    typeof meter !== 'object' ||
    meter === null ||
    typeof meter.createObservableGauge !== 'function'
  ) {
    throw new TypeError(
      `registerMetrics: meter must be an OpenTelemetry Meter, received ${String(meter)}`,
    );
  }
  const registry = options.registry ?? defaultRegistry;
  const buckets = options.buckets ?? DEFAULT_DURATION_BOUNDARIES;
  if (buckets !== false) {
    if (!Array.isArray(buckets) || buckets.some((b) => typeof b !== 'number' || !(b > 0))) {
      throw new TypeError(
        `registerMetrics: options.buckets must be an array of positive numbers (seconds) or false, received ${String(buckets)}`,
      );
    }
  }
  if (options.spanEvents !== undefined && typeof options.spanEvents !== 'boolean') {
    throw new TypeError(
      `registerMetrics: options.spanEvents must be true or false, received ${String(options.spanEvents)}`,
    );
  }

  const histogram =
    buckets === false
      ? undefined
      : meter.createHistogram(INSTRUMENT_NAMES.callDuration, {
          description: METRIC_HELP.callDuration,
          unit: 's',
          advice: { explicitBucketBoundaries: [...buckets].sort((a, b) => a - b) },
        });
  const model = new BreakerMetrics<Attributes>({
    registry,
    metrics: options.metrics,
    ...(histogram === undefined ? {} : { durations: new DurationRecorder(histogram) }),
  });

  const observed = OBSERVED.map(({ part, samples, counter, unit }) => {
    const config = { description: METRIC_HELP[part], unit };
    const instrument: Observable = counter
      ? meter.createObservableCounter(INSTRUMENT_NAMES[part], config)
      : meter.createObservableGauge(INSTRUMENT_NAMES[part], config);
    return { instrument, samples };
  });
  const callback: BatchObservableCallback = (result) => {
    const collection = model.collect();
    for (const { instrument, samples } of observed) {
      for (const { labels, value } of collection[samples])
        result.observe(instrument, value, labels);
    }
  };
  const instruments = observed.map((o) => o.instrument);
  meter.addBatchObservableCallback(callback, instruments);
  const spans = options.spanEvents === true ? recordSpanEvents(registry) : undefined;

  let disposed = false;
  return {
    dispose(): void {
      if (disposed) return;
      disposed = true;
      meter.removeBatchObservableCallback(callback, instruments);
      spans?.dispose();
      model.dispose();
    },
  };
}
