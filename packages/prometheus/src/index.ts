// @breakwater/prometheus: prom-client metrics for every Breakwater breaker.

export {
  CALL_OUTCOMES,
  DEFAULT_DURATION_BUCKETS,
  METRIC_HELP,
  METRIC_NAMES,
  type CallOutcomeLabel,
  type ThresholdLabel,
} from './metric-names.js';
export type { Granularity, GranularityOption } from './model/index.js';
export { registerMetrics, type MetricsOptions } from './register-metrics.js';
