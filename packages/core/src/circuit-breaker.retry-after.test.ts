// Retry times: whole ms rounded up, and the same answer from rejections, snapshots, readiness and the 503.
import { describe, expect, it } from 'vitest';
import { admit } from '@breakwater/test-support';
import { CircuitBreaker } from './circuit-breaker.js';
import { ManualClock } from './clock.js';
import { readiness } from './health/readiness.js';
import { healthSnapshot } from './health/health-snapshot.js';
import { retryAfterSeconds } from './http/headers.js';
import { FORCED_OPEN_PROBLEM_TYPE, rejectionResponse } from './http/problem.js';
import type { BreakerOptions } from './options.js';
import type { Rejection } from './permit.js';
import { BreakerRegistry } from './registry.js';
import type { StateChangeEvent } from './events.js';

/** A clock that reads fractional milliseconds, as `performance.now()` does. */
function setup(options: BreakerOptions = {}) {
  const clock = new ManualClock(1_000.37);
  const registry = new BreakerRegistry();
  const breaker = new CircuitBreaker({
    name: 'db',
    registry,
    clock,
    failureThreshold: 1,
    openDuration: 5_000,
    ...options,
  });
  return { clock, registry, breaker };
}

function rejected(breaker: CircuitBreaker): Rejection {
  const result = breaker.tryAcquire();
  if (result.admitted) throw new Error('expected a rejection');
  return result;
}

describe('retry times while open', () => {
  it.each([0, 0.4, 1, 699.6, 700, 2_500.25, 4_000, 4_999.1, 4_999.999])(
    'a client that waits Retry-After seconds (asked %d ms after the trip) is admitted as a probe',
    (elapsed) => {
      const { clock, breaker } = setup();
      admit(breaker).failure();
      clock.advance(elapsed);
      const rejection = rejected(breaker);
      expect(Number.isInteger(rejection.retryAfterMs)).toBe(true);
      expect(rejection.retryAfterMs).toBeGreaterThanOrEqual(1);
      clock.advance(retryAfterSeconds(rejection.retryAfterMs) * 1000);
      const probe = admit(breaker);
      expect(probe.probe).toBe(true);
    },
  );

  it('a caller that waits retryAfterMs exactly is admitted, one that comes a millisecond sooner is not', () => {
    const { clock, breaker } = setup();
    admit(breaker).failure();
    clock.advance(1_234.56);
    const wait = rejected(breaker).retryAfterMs;
    clock.advance(wait - 1);
    rejected(breaker);
    clock.advance(1);
    expect(admit(breaker).probe).toBe(true);
  });

  it('right after a 5 s trip, Retry-After says 5, not 4', () => {
    const { clock, breaker } = setup();
    admit(breaker).failure();
    clock.advance(0.5);
    expect(rejectionResponse(rejected(breaker)).headers['Retry-After']).toBe('5');
  });

  it('reports whole milliseconds everywhere: rejection, getter, snapshot, readiness and the stateChange event', () => {
    const { clock, registry, breaker } = setup();
    const events: StateChangeEvent[] = [];
    breaker.onStateChange((event) => events.push(event));
    admit(breaker).failure();
    clock.advance(1_700.3);
    const rejection = rejected(breaker);
    const snapshot = breaker.snapshot();
    const ready = readiness(registry, { critical: ['db'] });
    expect(rejection.retryAfterMs).toBe(3_300);
    expect(breaker.retryAfterMs).toBe(3_300);
    expect(snapshot.retryAfterMs).toBe(3_300);
    expect(Number.isInteger(snapshot.reopenAt)).toBe(true);
    expect(ready.body.unavailable[0]!.retryAfterMs).toBe(3_300);
    expect(ready.headers['Retry-After']).toBe('4');
    expect(Number.isInteger(events[0]!.reopenAt)).toBe(true);
    const json = JSON.stringify(healthSnapshot(registry));
    expect(json).not.toMatch(/"(reopenAt|retryAfterMs)":\d+\.\d/);
  });
});

describe('retry times while half-open with every probe slot taken', () => {
  it('asks for at most a second, in whole ms, and at least 1 ms', () => {
    const { clock, breaker } = setup({ openDuration: 5_000 });
    admit(breaker).failure();
    clock.advance(5_000);
    admit(breaker); // the one probe slot
    const soon = rejected(breaker);
    expect(soon.state).toBe('half-open');
    expect(soon.retryAfterMs).toBe(1000);
    clock.advance(4_999.6); // the probe expires in 0.4 ms
    const last = rejected(breaker);
    expect(last.retryAfterMs).toBe(1);
    expect(rejectionResponse(last).headers['Retry-After']).toBe('1');
  });

  it('when the stuck probe expires within that wait, it counts as failed and the breaker reopens', () => {
    const { clock, breaker } = setup({ openDuration: 5_000 });
    admit(breaker).failure();
    clock.advance(5_000);
    admit(breaker);
    clock.advance(4_999.6);
    clock.advance(rejected(breaker).retryAfterMs);
    // the hung probe counted as failed: open again for the doubled duration, no earlier
    expect(breaker.state).toBe('open');
    expect(breaker.retryAfterMs).toBe(5_000);
  });
});

describe('forced-open is reported one way', () => {
  it('rejection, getter, snapshot, health, readiness and the 503 agree on the open duration as a hint', () => {
    const { clock, registry, breaker } = setup({ openDuration: 7_500.5 });
    breaker.forceOpen();
    clock.advance(60_000); // nothing time-based ends a forced open
    const rejection = rejected(breaker);
    const snapshot = breaker.snapshot();
    const health = healthSnapshot(registry);
    const ready = readiness(registry, { critical: ['db'] });
    const response = rejectionResponse(rejection);
    const body = JSON.parse(response.body);

    expect(rejection.state).toBe('forced-open');
    expect(rejection.retryAfterMs).toBe(7_501);
    expect(breaker.retryAfterMs).toBe(7_501);
    expect(snapshot).toMatchObject({ state: 'forced-open', retryAfterMs: 7_501, reopenAt: null });
    expect(health.breakers[0]).toMatchObject({ state: 'forced-open', retryAfterMs: 7_501 });
    expect(ready.status).toBe(503);
    expect(ready.body.unavailable[0]).toMatchObject({ state: 'forced-open', retryAfterMs: 7_501 });
    expect(ready.headers['Retry-After']).toBe('8');
    expect(response.headers['Retry-After']).toBe('8');
    expect(body).toMatchObject({ type: FORCED_OPEN_PROBLEM_TYPE, state: 'open', retryAfter: 8 });
    expect(body.detail).toMatch(/forced open by an operator/);
  });
});
