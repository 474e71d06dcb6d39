// @breakwater/opentelemetry: OpenTelemetry metrics and span events for every Breakwater breaker.

export { DEFAULT_DURATION_BOUNDARIES, INSTRUMENT_NAMES } from './instrument-names.js';
export { registerMetrics, type OpenTelemetryMetricsOptions } from './register-metrics.js';
export { SPAN_EVENT_NAMES, recordSpanEvents } from './span-events.js';
export type { Granularity, GranularityOption } from '../../prometheus/src/model/index.js';
