// The framework-neutral result of one collection: every sample of every Breakwater metric.

/** The labels that identify what a series describes: a breaker, or a keyed family summed up. */
export type SeriesLabels = Readonly<Record<string, string>> & {
  /** The breaker's name; for a family exposed as a whole, the family's name. */
  readonly breaker: string;
  /** The keyed family, when the breaker belongs to one. */
  readonly family?: string;
};

/** One sample: its labels (the series labels plus the metric's own) and its value. */
export interface Sample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** Every sample of one collection, by metric (see `METRIC_NAMES` for what each one is). */
export interface Collection {
  readonly state: Sample[];
  readonly calls: Sample[];
  readonly transitions: Sample[];
  readonly failureRate: Sample[];
  readonly slowCallRate: Sample[];
  readonly thresholds: Sample[];
  readonly familyBreakers: Sample[];
  readonly familyEvictions: Sample[];
  readonly storeUp: Sample[];
  readonly storeEvents: Sample[];
}

/** Where call durations go: a histogram resolves each series once and records into it. */
export interface DurationSink<S> {
  /** The series of `labels` (the same object for as long as the series lives). */
  seriesOf(labels: SeriesLabels): S;
  /** Records one call's duration, in seconds. */
  record(series: S, seconds: number): void;
  /** The series left (its breaker left the registry): drop it. */
  forget(labels: SeriesLabels): void;
}
