// One breaker as the dashboard page draws it: its snapshot, its keyed family and its thresholds.

import type { CircuitBreaker } from '../circuit-breaker.js';
import type { BreakerConfig } from '../configuration.js';
import type { BreakerSnapshot } from '../snapshot.js';

/** The thresholds a breaker's rates are drawn against (`null`: that trip rule is off). */
export interface DashboardThresholds {
  readonly failureThreshold: number | null;
  /** Percent. */
  readonly failureRateThreshold: number | null;
  /** Percent. */
  readonly slowCallRateThreshold: number | null;
  /** Ms. */
  readonly slowCallDurationThreshold: number | null;
  readonly minimumCalls: number;
  readonly openDuration: number;
  readonly halfOpenMaxCalls: number;
  readonly successThreshold: number;
  readonly window: BreakerConfig['window'];
}

/** A breaker's snapshot plus what the page needs to group and judge it. */
export interface DashboardBreaker extends BreakerSnapshot {
  /** For a keyed breaker (`<family>:<key>`), its family's name; else `null`. */
  readonly family: string | null;
  readonly thresholds: DashboardThresholds;
}

/** The family of a keyed breaker named `<family>:<key>`, else `null`. */
export function familyOf(name: string, key: string | undefined | null): string | null {
  if (key === undefined || key === null) return null;
  const suffix = `:${key}`;
  if (name.endsWith(suffix) && name.length > suffix.length) return name.slice(0, -suffix.length);
  const colon = name.indexOf(':');
  return colon > 0 ? name.slice(0, colon) : name;
}

const thresholdsCache = new WeakMap<BreakerConfig, DashboardThresholds>();

function thresholdsOf(config: BreakerConfig): DashboardThresholds {
  let thresholds = thresholdsCache.get(config);
  if (thresholds === undefined) {
    thresholds = {
      failureThreshold: config.failureThreshold ?? null,
      failureRateThreshold: config.failureRateThreshold ?? null,
      slowCallRateThreshold: config.slowCallRateThreshold ?? null,
      slowCallDurationThreshold: config.slowCallDurationThreshold ?? null,
      minimumCalls: config.minimumCalls,
      openDuration: config.openDuration,
      halfOpenMaxCalls: config.halfOpenMaxCalls,
      successThreshold: config.successThreshold,
      window: config.window,
    };
    thresholdsCache.set(config, thresholds);
  }
  return thresholds;
}

/** `breaker` as the dashboard draws it. Reading it applies the transitions time has made due. */
export function dashboardBreaker(breaker: CircuitBreaker): DashboardBreaker {
  const snapshot = breaker.snapshot();
  return {
    ...snapshot,
    family: familyOf(snapshot.name, snapshot.key),
    thresholds: thresholdsOf(breaker.config),
  };
}
