// @breakwater/prometheus: prom-client metrics for every Breakwater breaker.

export {
  CALL_OUTCOMES,
  DEFAULT_DURATION_BUCKETS,
  METRIC_NAMES,
  type CallOutcomeLabel,
} from './metric-names.js';
export { registerMetrics, type MetricsOptions } from './register-metrics.js';
