// The expected-labels reading of PromQL that the Prometheus dashboard test relies on.
import { describe, expect, it } from 'vitest';
import { expectedLabels } from './promql-sources.js';

describe('expectedLabels', () => {
  it('reads the labels of top-level aggregations, not nested ones', () => {
    expect(expectedLabels('sum by (breaker, outcome) (rate(x[1m]))')).toEqual([
      'breaker',
      'outcome',
    ]);
    expect(
      expectedLabels('sum by (breaker) (rate(a[1m])) / sum by (breaker) (rate(b[1m]))'),
    ).toEqual(['breaker']);
    expect(expectedLabels('count(max by (breaker) (x) > 0) or vector(0)')).toEqual([]);
    expect(
      expectedLabels(
        '(sum by (job, breaker) (a) / sum by (job, breaker) (b)) > 0.1 and sum by (job, breaker) (b) > 0.1',
      ),
    ).toEqual(['breaker', 'job']);
  });

  it('drops le from the inner aggregation of histogram_quantile', () => {
    expect(
      expectedLabels('histogram_quantile(0.99, sum by (breaker, le) (rate(x_bucket[1m])))'),
    ).toEqual(['breaker']);
  });

  it('does not take a label called "by" or a metric ending in by for an aggregation', () => {
    expect(expectedLabels('max by (family) (standby (x))')).toEqual(['family']);
  });
});
