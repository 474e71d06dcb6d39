// A prom-client histogram fed from plain per-breaker arrays: recording a call allocates nothing and hashes no labels.

import { Histogram, type Registry } from 'prom-client';
import type { DurationSink, SeriesLabels } from './model/index.js';

/** The buckets of one breaker: counts per bucket (the last is +Inf), sum and count. */
export interface DurationSeries {
  /** Non-cumulative count per bucket; index `bounds.length` holds the observations above every bound. */
  readonly counts: Float64Array;
  sum: number;
  count: number;
}

type Label = 'breaker' | 'family';
type HistogramData = Awaited<ReturnType<Histogram<Label>['get']>>;
type Labels = HistogramData['values'][number]['labels'];

/**
 * `breakwater_call_duration_seconds{breaker,family}`. prom-client's own `observe()` builds and
 * hashes a label object on every call; here each series is resolved once and a call is a bucket
 * search and three additions. The registry reads the series only when it is scraped.
 */
export class DurationHistogram extends Histogram<Label> implements DurationSink<DurationSeries> {
  private readonly bounds: readonly number[];
  private readonly boundLabels: readonly string[];
  private readonly series = new Map<SeriesLabels, DurationSeries>();
  private readonly metricName: string;
  private readonly metricHelp: string;

  constructor(name: string, help: string, buckets: readonly number[], register: Registry) {
    super({
      name,
      help,
      labelNames: ['breaker', 'family'],
      buckets: [...buckets],
      registers: [register],
    });
    this.metricName = name;
    this.metricHelp = help;
    this.bounds = [...buckets].sort((a, b) => a - b);
    this.boundLabels = this.bounds.map(String);
  }

  /** The series of `labels`, created empty on first sight. Keep it and {@link record} into it. */
  seriesOf(labels: SeriesLabels): DurationSeries {
    let series = this.series.get(labels);
    if (series === undefined) {
      series = { counts: new Float64Array(this.bounds.length + 1), sum: 0, count: 0 };
      this.series.set(labels, series);
    }
    return series;
  }

  /** Adds one observation, in seconds, to a series. */
  record(series: DurationSeries, seconds: number): void {
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && seconds > bounds[i]!) i++;
    series.counts[i]!++;
    series.sum += seconds;
    series.count++;
  }

  /** Drops the series of a breaker that left, so its label sets leave the output. */
  forget(labels: SeriesLabels): void {
    this.series.delete(labels);
  }

  override reset(): void {
    // prom-client's constructor calls reset() before this class's fields exist
    const all = this.series as Map<SeriesLabels, DurationSeries> | undefined;
    if (all === undefined) return;
    for (const series of all.values()) {
      series.counts.fill(0);
      series.sum = 0;
      series.count = 0;
    }
  }

  override async get(): Promise<HistogramData> {
    return this.snapshot();
  }

  /** What prom-client's registry reads when it renders the text format. */
  async getForPromString(): Promise<HistogramData> {
    return this.snapshot();
  }

  private snapshot(): HistogramData {
    const name = this.metricName;
    const values: HistogramData['values'] = [];
    for (const [labels, series] of this.series) {
      const base = labels as Labels;
      let cumulative = 0;
      for (let i = 0; i < this.bounds.length; i++) {
        cumulative += series.counts[i]!;
        values.push({
          metricName: `${name}_bucket`,
          labels: { ...base, le: this.boundLabels[i]! } as Labels,
          value: cumulative,
        });
      }
      const inf = { ...base, le: '+Inf' } as Labels;
      values.push({ metricName: `${name}_bucket`, labels: inf, value: series.count });
      values.push({ metricName: `${name}_sum`, labels: base, value: series.sum });
      values.push({ metricName: `${name}_count`, labels: base, value: series.count });
    }
    return {
      name,
      help: this.metricHelp,
      type: 'histogram',
      values,
      aggregator: 'sum',
    } as unknown as HistogramData;
  }
}
