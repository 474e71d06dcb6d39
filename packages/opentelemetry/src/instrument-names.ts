// The OpenTelemetry instrument names: through OpenTelemetry's Prometheus naming they become @breakwater/prometheus's metric names.

/**
 * Instrument names. OpenTelemetry's Prometheus translation (dots to underscores, `_total` on
 * counters) turns each into the name `@breakwater/prometheus` uses, so one dashboard and one set of
 * alerting rules read both. The histogram's name ends in its unit (`s`) because not every exporter
 * appends unit suffixes, and those that do leave a name alone that already ends with it.
 */
export const INSTRUMENT_NAMES: {
  readonly state: 'breakwater.state';
  readonly calls: 'breakwater.calls';
  readonly transitions: 'breakwater.transitions';
  readonly failureRate: 'breakwater.failure_rate';
  readonly slowCallRate: 'breakwater.slow_call_rate';
  readonly threshold: 'breakwater.threshold';
  readonly familyBreakers: 'breakwater.family.breakers';
  readonly familyEvictions: 'breakwater.family.evictions';
  readonly storeUp: 'breakwater.store.up';
  readonly storeEvents: 'breakwater.store.events';
  readonly callDuration: 'breakwater.call.duration.seconds';
} = Object.freeze({
  state: 'breakwater.state',
  calls: 'breakwater.calls',
  transitions: 'breakwater.transitions',
  failureRate: 'breakwater.failure_rate',
  slowCallRate: 'breakwater.slow_call_rate',
  threshold: 'breakwater.threshold',
  familyBreakers: 'breakwater.family.breakers',
  familyEvictions: 'breakwater.family.evictions',
  storeUp: 'breakwater.store.up',
  storeEvents: 'breakwater.store.events',
  callDuration: 'breakwater.call.duration.seconds',
});

/** Default bucket boundaries of `breakwater.call.duration.seconds`, in seconds (as `@breakwater/prometheus`). */
export const DEFAULT_DURATION_BOUNDARIES: readonly number[] = Object.freeze([
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
]);
