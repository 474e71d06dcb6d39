// The names of the metrics registerMetrics() exposes, and the label values they use.

/** The metric names, as they appear on `/metrics`. */
export const METRIC_NAMES: {
  readonly state: 'breakwater_state';
  readonly calls: 'breakwater_calls_total';
  readonly transitions: 'breakwater_transitions_total';
  readonly failureRate: 'breakwater_failure_rate';
  readonly callDuration: 'breakwater_call_duration_seconds';
} = Object.freeze({
  state: 'breakwater_state',
  calls: 'breakwater_calls_total',
  transitions: 'breakwater_transitions_total',
  failureRate: 'breakwater_failure_rate',
  callDuration: 'breakwater_call_duration_seconds',
});

/** The values of the `outcome` label of `breakwater_calls_total`. */
export type CallOutcomeLabel =
  'success' | 'failure' | 'timeout' | 'slow' | 'rejected' | 'cache_hit' | 'ignored';

/** Every `outcome` label value, in the order they are exposed. */
export const CALL_OUTCOMES: readonly CallOutcomeLabel[] = Object.freeze([
  'success',
  'failure',
  'timeout',
  'slow',
  'rejected',
  'cache_hit',
  'ignored',
] as const);

/** Default buckets of `breakwater_call_duration_seconds`, in seconds (prom-client's defaults). */
export const DEFAULT_DURATION_BUCKETS: readonly number[] = Object.freeze([
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
]);
