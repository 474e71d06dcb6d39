// Test helper: a MeterProvider with an in-memory MetricReader, and lookups of the collected data points.

import { type Attributes } from '@opentelemetry/api';
import {
  DataPointType,
  MeterProvider,
  MetricReader,
  type MetricData,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';

/** Collects on demand; nothing is exported anywhere. */
export class TestReader extends MetricReader {
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** One collection: every metric, with lookups by name and attributes. */
export interface Collected {
  readonly resourceMetrics: ResourceMetrics;
  metric(name: string): MetricData | undefined;
  /** The value of the one point of `name` whose attributes include `attributes` (histograms: count). */
  value(name: string, attributes?: Attributes): number;
  /** The points of `name` whose attributes include `attributes`. */
  points(name: string, attributes?: Attributes): { attributes: Attributes; value: unknown }[];
}

/** A meter provider with a {@link TestReader}, and a collect() that reads it. */
export function testMeter(): {
  provider: MeterProvider;
  meter: ReturnType<MeterProvider['getMeter']>;
  collect: () => Promise<Collected>;
} {
  const reader = new TestReader();
  const provider = new MeterProvider({ readers: [reader] });
  const meter = provider.getMeter('breakwater-test');
  const collect = async (): Promise<Collected> => {
    const { resourceMetrics, errors } = await reader.collect();
    if (errors.length > 0) throw errors[0];
    const all = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics);
    const metric = (name: string): MetricData | undefined =>
      all.find((m) => m.descriptor.name === name);
    const points = (name: string, attributes: Attributes = {}) =>
      (metric(name)?.dataPoints ?? [])
        .filter((p) => Object.entries(attributes).every(([k, v]) => p.attributes[k] === v))
        .map((p) => ({ attributes: p.attributes, value: p.value as unknown }));
    return {
      resourceMetrics,
      metric,
      points,
      value(name, attributes) {
        const found = points(name, attributes);
        if (found.length !== 1) {
          throw new Error(
            `${found.length} points of ${name} match ${JSON.stringify(attributes ?? {})}`,
          );
        }
        const value = found[0]!.value;
        if (metric(name)!.dataPointType === DataPointType.HISTOGRAM) {
          return (value as { count: number }).count;
        }
        return value as number;
      },
    };
  };
  return { provider, meter, collect };
}
