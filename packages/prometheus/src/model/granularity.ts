// How keyed families are exposed: one aggregated series set per family, or one per breaker.

import { invalidOption } from '@breakwater/core/adapter';

/** `family`: a keyed family's breakers are summed into one series set; `breaker`: one per breaker. */
export type Granularity = 'family' | 'breaker';

/**
 * The `metrics` option: one granularity for every keyed family, or a granularity per family name
 * (families not named stay `'family'`). Breakers without a family are always exposed one by one.
 */
export type GranularityOption = Granularity | Readonly<Record<string, Granularity>>;

/** Validates the option and returns the granularity of a family. */
export function parseGranularity(value: unknown): (family: string) => Granularity {
  const valid = (g: unknown): g is Granularity => g === 'family' || g === 'breaker';
  if (value === undefined) return () => 'family';
  if (valid(value)) return () => value;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const byFamily = new Map<string, Granularity>();
    for (const [family, g] of Object.entries(value)) {
      if (!valid(g)) invalidOption(`metrics["${family}"]`, g, '"family" or "breaker"');
      byFamily.set(family, g);
    }
    return (family) => byFamily.get(family) ?? 'family';
  }
  return invalidOption(
    'metrics',
    value,
    '"family", "breaker", or an object mapping family names to "family" or "breaker"',
  );
}
