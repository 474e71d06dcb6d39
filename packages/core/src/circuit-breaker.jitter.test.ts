// openDurationJitter: each open round's length is spread once, within ± the fraction and the cap.
import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from './circuit-breaker.js';
import { ManualClock } from './clock.js';

function setup(random: () => number, jitter = 0.2, maxOpenDuration?: number) {
  const clock = new ManualClock(0);
  const draws: number[] = [];
  const breaker = new CircuitBreaker({
    registry: false,
    clock,
    failureThreshold: 1,
    openDuration: 10_000,
    maxOpenDuration,
    openDurationJitter: jitter,
    random: () => {
      const value = random();
      draws.push(value);
      return value;
    },
  });
  const trip = (): void => {
    const permit = breaker.tryAcquire();
    if (!permit.admitted) throw new Error('expected a permit');
    permit.failure();
  };
  return { clock, breaker, draws, trip };
}

describe('openDurationJitter', () => {
  it('shortens a round by up to the fraction (random 0)', () => {
    const { breaker, trip } = setup(() => 0);
    trip();
    expect(breaker.retryAfterMs).toBe(8_000);
  });

  it('lengthens a round by up to the fraction (random just below 1)', () => {
    const { breaker, trip } = setup(() => 0.999_999, 0.2, 20_000);
    trip();
    expect(breaker.retryAfterMs).toBe(12_000);
  });

  it('draws once per open round, not per request', () => {
    const { breaker, trip, draws } = setup(() => 0.75);
    trip();
    for (let i = 0; i < 5; i++) expect(breaker.tryAcquire().admitted).toBe(false);
    expect(draws).toHaveLength(1);
    expect(breaker.retryAfterMs).toBe(10_000); // 11000 drawn, capped by maxOpenDuration (= openDuration)
  });

  it('never goes beyond maxOpenDuration', () => {
    const { breaker, trip } = setup(() => 0.9, 0.5, 12_000);
    trip();
    expect(breaker.retryAfterMs).toBe(12_000);
  });

  it('is off by default and rejects a fraction outside [0, 1)', () => {
    expect(() => new CircuitBreaker({ registry: false, openDurationJitter: 1 })).toThrow(
      /option "openDurationJitter" must be a fraction in \[0, 1\); received 1/,
    );
    expect(() => new CircuitBreaker({ registry: false, openDurationJitter: -0.1 })).toThrow(
      TypeError,
    );
    const clock = new ManualClock(0);
    const breaker = new CircuitBreaker({
      registry: false,
      clock,
      failureThreshold: 1,
      openDuration: 5000,
      random: () => 0,
    });
    const permit = breaker.tryAcquire();
    if (permit.admitted) permit.failure();
    expect(breaker.retryAfterMs).toBe(5000);
  });
});
