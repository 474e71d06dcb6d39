// The framework-neutral metrics model: what @breakwater/prometheus and @breakwater/opentelemetry both expose.

export { BreakerMetrics, type BreakerMetricsOptions } from './breaker-metrics.js';
export type { Collection, DurationSink, Sample, SeriesLabels } from './collection.js';
export { parseGranularity, type Granularity, type GranularityOption } from './granularity.js';
export { TRANSITION_PAIRS, type TransitionPair } from './transition-pairs.js';
