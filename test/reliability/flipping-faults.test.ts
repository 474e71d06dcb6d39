// Every adapter through one pass of flipping faults (a fixed number of requests per phase): nothing lost, probes bounded, heals, frees everything.

import { describe, expect, it } from 'vitest';
import { http1Fixtures as fixtures } from '../conformance/fixtures/index.js';
import { BREAKER, runFlippingFaults } from './flipping-faults.js';

/** Requests per phase: each of the seven phases (healthy, aborting, slow, failing, healthy, hanging, mixed) gets this many. */
const REQUESTS_PER_PHASE = 60;

describe.each(fixtures)('flipping faults: $name', (fixture) => {
  it('serves every request or answers a clean 503 through healthy, slow, failing, hanging and aborting phases, then heals and frees everything', async () => {
    const run = await runFlippingFaults(fixture, {
      length: { requestsPerPhase: REQUESTS_PER_PHASE },
      concurrency: 16,
      // a bound on the healing loop only; how fast it heals is the soak's assertion
      healCapMs: 10_000,
    });

    expect(run.sent).toBe(REQUESTS_PER_PHASE * 7);
    expect(run.lost, 'requests lost').toEqual([]);
    expect(run.healLost, 'requests lost while healing').toEqual([]);
    expect(run.tally.ok).toBeGreaterThan(0);
    expect(run.tally.rejected).toBeGreaterThan(0);
    expect(run.tally.failed).toBeGreaterThan(0);
    expect(run.tally['server-abort']).toBeGreaterThan(0);
    expect(run.trippedBeforeHeal).toBe('open');
    expect(run.finalState).toBe('closed');
    expect(run.maxProbesSeen).toBeLessThanOrEqual(BREAKER.halfOpenMaxCalls);
    expect(run.negativeInFlight).toBe(0);
    expect(run.inFlightAfter).toBe(0);
    expect(run.pendingAfter).toBe(0);
    expect(run.leaks, 'live handles after close').toEqual([]);
  });
});
