// Fleet-wide half-open (coordinateProbes) and fleet-wide rates (shareCounts) against the real Redis.

import { describe, expect, it } from 'vitest';
import { ready, startReplica, type Replica } from './test-support.js';
import { recordFailure, redisEnabled, uniquePrefix, waitFor } from '@breakwater/test-support';

describe.skipIf(!redisEnabled)('RedisStore fleet features (real Redis)', () => {
  /** Asks each replica for `tries` permits; returns the admitted probes per replica. */
  function probeAll(replicas: Replica[], tries: number) {
    return replicas.map((r) => {
      const admitted = [];
      for (let i = 0; i < tries; i++) {
        const permit = r.breaker.tryAcquire();
        if (permit.admitted) admitted.push(permit);
      }
      return admitted;
    });
  }

  it('lets the whole fleet send at most halfOpenMaxCalls probes with coordinateProbes', async () => {
    const prefix = uniquePrefix();
    const fleet = [1, 2, 3].map(() =>
      startReplica(
        prefix,
        'api',
        { openDuration: 400, halfOpenMaxCalls: 1 },
        { coordinateProbes: true },
      ),
    );
    await Promise.all(fleet.map((r) => ready(r)));
    recordFailure(fleet[0]!.breaker);
    await waitFor(() => fleet.every((r) => r.breaker.state === 'open'), 2000, 'all open');
    // Each replica asks for the lease shortly before the reopen time, in the background.
    await waitFor(
      () =>
        fleet.reduce((n, r) => n + r.store.stats.leasesTaken + r.store.stats.leasesDenied, 0) === 3,
      3000,
      'three lease answers',
    );
    await waitFor(() => fleet.every((r) => r.breaker.state === 'half-open'), 2000, 'half-open');

    const probes = probeAll(fleet, 5);
    expect(probes.flat()).toHaveLength(1);
    const holder = fleet[probes.findIndex((p) => p.length === 1)]!;
    expect(holder.store.stats.leasesTaken).toBe(1);

    probes.flat()[0]!.success();
    await waitFor(() => fleet.every((r) => r.breaker.state === 'closed'), 2000, 'fleet closed');
  });

  it('sends one probe set per replica without coordinateProbes (the control case)', async () => {
    const prefix = uniquePrefix();
    const fleet = [1, 2, 3].map(() => startReplica(prefix, 'api', { openDuration: 300 }));
    await Promise.all(fleet.map((r) => ready(r)));
    recordFailure(fleet[0]!.breaker);
    await waitFor(() => fleet.every((r) => r.breaker.state === 'half-open'), 3000, 'half-open');
    expect(probeAll(fleet, 5).flat()).toHaveLength(3);
  });

  it('hands the probe lease to another replica when the holder goes away', async () => {
    const prefix = uniquePrefix();
    const options = { openDuration: 300, halfOpenMaxCalls: 1 };
    const fleet = [1, 2].map(() =>
      startReplica(prefix, 'api', options, { coordinateProbes: true }),
    );
    await Promise.all(fleet.map((r) => ready(r)));
    recordFailure(fleet[0]!.breaker);
    await waitFor(
      () =>
        fleet.reduce((n, r) => n + r.store.stats.leasesTaken + r.store.stats.leasesDenied, 0) === 2,
      3000,
      'lease answers',
    );
    const holder = fleet.find((r) => r.store.stats.leasesTaken === 1)!;
    const other = fleet.find((r) => r !== holder)!;
    await holder.close(); // dies without probing
    await waitFor(() => other.breaker.state === 'half-open', 2000, 'half-open');
    expect(probeAll([other], 1).flat()).toHaveLength(0);
    // The lease expires (reopen lead + openDuration); the survivor takes it and probes.
    await waitFor(() => other.store.stats.leasesTaken === 1, 3000, 'the lease to pass on');
    const admitted = probeAll([other], 3).flat();
    expect(admitted).toHaveLength(1);
    admitted[0]!.success();
    expect(other.breaker.state).toBe('closed');
  });

  it('opens every replica when the fleet failure rate crosses the threshold (shareCounts)', async () => {
    const prefix = uniquePrefix();
    const breakerOptions = {
      failureThreshold: undefined,
      failureRateThreshold: 50,
      minimumCalls: 30,
      window: { type: 'time' as const, duration: 10_000 },
    };
    const fleet = [1, 2, 3].map(() =>
      startReplica(prefix, 'api', breakerOptions, { shareCounts: true, syncInterval: 50 }),
    );
    await Promise.all(fleet.map((r) => ready(r)));
    // 15 calls per replica, 60% failures: below minimumCalls locally, 45 calls fleet-wide.
    for (const r of fleet) {
      for (let i = 0; i < 15; i++) {
        const permit = r.breaker.tryAcquire();
        if (!permit.admitted) throw new Error('unexpected rejection');
        if (i % 5 < 3) permit.failure();
        else permit.success();
      }
      expect(r.breaker.state).toBe('closed');
    }
    await waitFor(() => fleet.every((r) => r.breaker.state === 'open'), 3000, 'the fleet to open');
    expect(fleet.reduce((n, r) => n + r.store.stats.fleetTrips, 0)).toBeGreaterThanOrEqual(1);
  });

  it('judges each replica alone without shareCounts (the control case)', async () => {
    const prefix = uniquePrefix();
    const breakerOptions = {
      failureThreshold: undefined,
      failureRateThreshold: 50,
      minimumCalls: 30,
      window: { type: 'time' as const, duration: 10_000 },
    };
    const fleet = [1, 2, 3].map(() => startReplica(prefix, 'api', breakerOptions));
    await Promise.all(fleet.map((r) => ready(r)));
    for (const r of fleet) {
      for (let i = 0; i < 15; i++) {
        const permit = r.breaker.tryAcquire();
        if (permit.admitted) {
          if (i % 5 < 3) permit.failure();
          else permit.success();
        }
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fleet.every((r) => r.breaker.state === 'closed')).toBe(true);
  });
});
