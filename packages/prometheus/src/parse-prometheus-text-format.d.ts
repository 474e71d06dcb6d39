// Types for parse-prometheus-text-format (a devDependency the tests read /metrics with); it ships none.

declare module 'parse-prometheus-text-format' {
  /** One sample of a counter, gauge or untyped metric. */
  interface ParsedSample {
    value: string;
    labels?: Record<string, string>;
  }
  /** One labelled histogram: cumulative bucket counts by `le`, sum and count, as strings. */
  interface ParsedHistogramSample {
    buckets: Record<string, string>;
    count: string;
    sum: string;
    labels?: Record<string, string>;
  }
  /** One metric family. */
  interface ParsedFamily {
    name: string;
    help: string;
    type: 'COUNTER' | 'GAUGE' | 'HISTOGRAM' | 'SUMMARY' | 'UNTYPED';
    metrics: (ParsedSample | ParsedHistogramSample)[];
  }
  /** Parses the Prometheus text exposition format. */
  export default function parsePrometheusTextFormat(text: string): ParsedFamily[];
}
