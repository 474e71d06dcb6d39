// Shared counting (shareCounts): which time buckets a breaker's fleet counts live in, and the verdict.

import type { BreakerConfig } from '@breakwater/core';

/** Buckets a counting horizon is cut into. */
export const COUNT_BUCKETS = 20;

/** Fleet-wide totals of the buckets in a breaker's horizon. */
export interface FleetCounts {
  readonly calls: number;
  readonly failures: number;
  readonly slowCalls: number;
}

/** The time span a breaker's fleet rates are judged on: its time window, else `countsHorizon`. */
export function horizonOf(config: BreakerConfig, countsHorizon: number): number {
  return config.window.type === 'time' ? config.window.duration : countsHorizon;
}

/**
 * The bucket keys to add to and read at wall time `now`: the current bucket first, then older
 * ones within the horizon, but none that began at or before `since` (the fleet's last close);
 * `readCurrent` is false when even the current bucket began before then (it is added to, not read).
 */
export function bucketKeys(
  base: string,
  horizon: number,
  now: number,
  since: number,
): { keys: string[]; readCurrent: boolean; ttl: number } {
  const width = Math.max(1, Math.floor(horizon / COUNT_BUCKETS));
  const current = Math.floor(now / width);
  const oldest = Math.max(current - COUNT_BUCKETS + 1, Math.floor(since / width) + 1);
  const keys = [`${base}${current}`];
  for (let index = current - 1; index >= oldest; index--) keys.push(`${base}${index}`);
  return { keys, readCurrent: current >= oldest, ttl: horizon + 2 * width };
}

/** Whether the fleet's counts cross one of the breaker's rate thresholds. */
export function fleetShouldOpen(config: BreakerConfig, counts: FleetCounts): boolean {
  if (counts.calls < config.minimumCalls || counts.calls <= 0) return false;
  const failureRate = config.failureRateThreshold;
  if (failureRate !== undefined && counts.failures * 100 >= failureRate * counts.calls) return true;
  const slowRate = config.slowCallRateThreshold;
  return slowRate !== undefined && counts.slowCalls * 100 >= slowRate * counts.calls;
}
