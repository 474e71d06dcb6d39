// The names of the metrics registerMetrics() exposes, and the label values they use.

/** The metric names, as they appear on `/metrics`. */
export const METRIC_NAMES: {
  readonly state: 'breakwater_state';
  readonly calls: 'breakwater_calls_total';
  readonly transitions: 'breakwater_transitions_total';
  readonly failureRate: 'breakwater_failure_rate';
  readonly slowCallRate: 'breakwater_slow_call_rate';
  readonly threshold: 'breakwater_threshold';
  readonly familyBreakers: 'breakwater_family_breakers';
  readonly familyEvictions: 'breakwater_family_evictions_total';
  readonly storeUp: 'breakwater_store_up';
  readonly storeEvents: 'breakwater_store_events_total';
  readonly callDuration: 'breakwater_call_duration_seconds';
} = Object.freeze({
  state: 'breakwater_state',
  calls: 'breakwater_calls_total',
  transitions: 'breakwater_transitions_total',
  failureRate: 'breakwater_failure_rate',
  slowCallRate: 'breakwater_slow_call_rate',
  threshold: 'breakwater_threshold',
  familyBreakers: 'breakwater_family_breakers',
  familyEvictions: 'breakwater_family_evictions_total',
  storeUp: 'breakwater_store_up',
  storeEvents: 'breakwater_store_events_total',
  callDuration: 'breakwater_call_duration_seconds',
});

/** The values of the `outcome` label of `breakwater_calls_total`. */
export type CallOutcomeLabel =
  | 'success'
  | 'failure'
  | 'timeout'
  | 'slow'
  | 'rejected'
  | 'cache_hit'
  | 'ignored'
  | 'would_reject';

/** Every `outcome` label value. */
export const CALL_OUTCOMES: readonly CallOutcomeLabel[] = Object.freeze([
  'success',
  'failure',
  'timeout',
  'slow',
  'rejected',
  'cache_hit',
  'ignored',
  'would_reject',
] as const);

/** The values of the `threshold` label of `breakwater_threshold`, in the units of what they compare with. */
export type ThresholdLabel =
  | 'failure_count'
  | 'failure_rate'
  | 'slow_call_rate'
  | 'slow_call_duration_seconds'
  | 'minimum_calls'
  | 'open_duration_seconds';

/** Default buckets of `breakwater_call_duration_seconds`, in seconds (prom-client's defaults). */
export const DEFAULT_DURATION_BUCKETS: readonly number[] = Object.freeze([
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
]);

/** The help text of each metric, shared by every exporter. */
export const METRIC_HELP: { readonly [K in keyof typeof METRIC_NAMES]: string } = Object.freeze({
  state:
    'Circuit breakers in each state: one-hot (1 for the current state) for a breaker, a count of its breakers for a keyed family.',
  calls:
    'Calls through circuit breakers, by outcome (slow overlaps success/failure/timeout; cache_hit overlaps rejected).',
  transitions: 'Circuit breaker state transitions since the metrics were registered.',
  failureRate: "Failed share (0-1) of the calls in the circuit breakers' sliding windows.",
  slowCallRate: "Slow share (0-1) of the calls in the circuit breakers' sliding windows.",
  threshold:
    'Configured circuit breaker thresholds, in the units of the metrics they compare with (rates 0-1, durations in seconds).',
  familyBreakers: 'Breakers a keyed family holds right now (bounded by maxBreakers).',
  familyEvictions: 'Breakers a keyed family evicted to stay within maxBreakers.',
  storeUp: 'Whether a shared state store (e.g. RedisStore) can reach its backend: 1 up, 0 down.',
  storeEvents: 'Counters of a shared state store (errors, outages, published, received...).',
  callDuration: 'Duration of calls admitted by a circuit breaker, in seconds.',
});
