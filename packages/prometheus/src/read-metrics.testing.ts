// Test helper: reads Prometheus text through parse-prometheus-text-format and looks samples up by labels.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- the ambient types of an untyped package, for callers outside this package
/// <reference path="./parse-prometheus-text-format.d.ts" />

import parsePrometheusTextFormat from 'parse-prometheus-text-format';

/** A parsed sample: its family's name and type, its labels and its value. */
export interface Sample {
  readonly name: string;
  readonly type: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** Parsed metrics text with lookups by name and labels. */
export interface ReadMetrics {
  /** Every sample, histogram lines as `<name>_bucket`, `<name>_sum` and `<name>_count` samples. */
  readonly samples: readonly Sample[];
  /** The family's declared type (`COUNTER`, `GAUGE`, `HISTOGRAM`…), or undefined when absent. */
  typeOf(name: string): string | undefined;
  /** The samples of `name` whose labels include `labels`. */
  find(name: string, labels?: Record<string, string>): Sample[];
  /** The value of the one sample of `name` matching `labels`; throws when there is not exactly one. */
  value(name: string, labels?: Record<string, string>): number;
}

/**
 * Parses `text` with a real Prometheus text-format parser. The parser folds a labelled histogram's
 * series into one (it only models unlabelled histograms), so histogram families are parsed a
 * second time declared `untyped`, which keeps each `_bucket`/`_sum`/`_count` line with its labels.
 */
export function readMetrics(text: string): ReadMetrics {
  const families = parsePrometheusTextFormat(text);
  const types = new Map(families.map((f) => [f.name, f.type]));
  const untyped = parsePrometheusTextFormat(
    text.replace(/^(# TYPE \S+) histogram$/gm, '$1 untyped'),
  );
  const samples: Sample[] = [];
  for (const family of untyped) {
    for (const metric of family.metrics) {
      if (!('value' in metric)) throw new Error(`unexpected sample shape in ${family.name}`);
      samples.push({
        name: family.name,
        type: types.get(family.name) ?? 'UNTYPED',
        labels: metric.labels ?? {},
        value: Number(metric.value),
      });
    }
  }
  const find = (name: string, labels: Record<string, string> = {}): Sample[] =>
    samples.filter(
      (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
    );
  return {
    samples,
    typeOf: (name) => types.get(name),
    find,
    value(name, labels) {
      const found = find(name, labels);
      if (found.length !== 1) {
        throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels ?? {})}`);
      }
      return found[0]!.value;
    },
  };
}
