// Shared counting helpers: which buckets are read, and when the fleet's rates open a breaker.

import { describe, expect, it } from 'vitest';
import { parseBreakerOptions } from '@breakwater/core/adapter';
import { bucketKeys, COUNT_BUCKETS, fleetShouldOpen, horizonOf } from './fleet-counts.js';

describe('bucketKeys', () => {
  it('reads the whole horizon, current bucket first, when the fleet has not closed within it', () => {
    const { keys, readCurrent } = bucketKeys('k:', 20_000, 1_000_500, 0);
    expect(keys).toHaveLength(COUNT_BUCKETS);
    expect(keys[0]).toBe('k:1000');
    expect(keys[19]).toBe('k:981');
    expect(readCurrent).toBe(true);
  });

  it('skips buckets that began before the fleet last closed', () => {
    const { keys, readCurrent } = bucketKeys('k:', 20_000, 1_000_500, 997_200);
    expect(keys).toEqual(['k:1000', 'k:999', 'k:998']);
    expect(readCurrent).toBe(true);
  });

  it('adds to but does not read the current bucket when the close happened inside it', () => {
    const { keys, readCurrent } = bucketKeys('k:', 20_000, 1_000_500, 1_000_100);
    expect(keys).toEqual(['k:1000']);
    expect(readCurrent).toBe(false);
  });
});

describe('fleetShouldOpen', () => {
  const config = parseBreakerOptions({ failureRateThreshold: 50, minimumCalls: 10 });

  it('opens when the fleet failure rate reaches the threshold with enough calls', () => {
    expect(fleetShouldOpen(config, { calls: 10, failures: 5, slowCalls: 0 })).toBe(true);
  });

  it('waits for minimumCalls and stays closed below the threshold', () => {
    expect(fleetShouldOpen(config, { calls: 9, failures: 9, slowCalls: 0 })).toBe(false);
    expect(fleetShouldOpen(config, { calls: 100, failures: 49, slowCalls: 0 })).toBe(false);
  });

  it('judges slow calls by their own threshold', () => {
    const slow = parseBreakerOptions({ slowCallDurationThreshold: 100, slowCallRateThreshold: 20 });
    expect(fleetShouldOpen(slow, { calls: 100, failures: 0, slowCalls: 20 })).toBe(true);
  });

  it('uses a time window as the horizon, else countsHorizon', () => {
    expect(
      horizonOf(parseBreakerOptions({ window: { type: 'time', duration: 5000 } }), 60_000),
    ).toBe(5000);
    expect(horizonOf(config, 60_000)).toBe(60_000);
  });
});
