// Behaviour of the breaker's state machine, permits, timeouts and administrative states.
import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from './circuit-breaker.js';
import { ManualClock } from './clock.js';
import type { BreakerOptions } from './options.js';
import type { Permit, Rejection } from './permit.js';

function setup(options: BreakerOptions = {}) {
  const clock = new ManualClock(1_000);
  const breaker = new CircuitBreaker({ registry: false, clock, openDuration: 1000, ...options });
  return { clock, breaker };
}

function admit(breaker: CircuitBreaker): Permit {
  const result = breaker.tryAcquire();
  if (!result.admitted) throw new Error(`expected a permit, breaker is ${result.state}`);
  return result;
}

function rejected(breaker: CircuitBreaker): Rejection {
  const result = breaker.tryAcquire();
  if (result.admitted) throw new Error('expected a rejection');
  return result;
}

function fail(breaker: CircuitBreaker, times: number): void {
  for (let i = 0; i < times; i++) admit(breaker).failure();
}

describe('CircuitBreaker', () => {
  it('opens after failureThreshold consecutive failures', () => {
    const { breaker } = setup({ failureThreshold: 3 });
    fail(breaker, 2);
    expect(breaker.state).toBe('closed');
    fail(breaker, 1);
    expect(breaker.state).toBe('open');
  });

  it('a success in between starts the consecutive count again', () => {
    const { breaker } = setup({ failureThreshold: 3 });
    fail(breaker, 2);
    admit(breaker).success();
    fail(breaker, 2);
    expect(breaker.state).toBe('closed');
  });

  it('rejects while open with the time left until a probe', () => {
    const { breaker, clock } = setup({ failureThreshold: 1 });
    fail(breaker, 1);
    clock.advance(400);
    const rejection = rejected(breaker);
    expect(rejection.state).toBe('open');
    expect(rejection.retryAfterMs).toBe(600);
  });

  it('admits at most halfOpenMaxCalls probes once the open duration has passed', () => {
    const { breaker, clock } = setup({ failureThreshold: 1, halfOpenMaxCalls: 2 });
    fail(breaker, 1);
    clock.advance(1000);
    const a = admit(breaker);
    const b = admit(breaker);
    expect(a.probe && b.probe).toBe(true);
    expect(rejected(breaker).state).toBe('half-open');
  });

  it('closes after successThreshold probe successes', () => {
    const { breaker, clock } = setup({ failureThreshold: 1, successThreshold: 2 });
    fail(breaker, 1);
    clock.advance(1000);
    admit(breaker).success();
    expect(breaker.state).toBe('half-open');
    admit(breaker).success();
    expect(breaker.state).toBe('closed');
  });

  it('reopens on a probe failure with the open duration doubled up to maxOpenDuration', () => {
    const { breaker, clock } = setup({ failureThreshold: 1, maxOpenDuration: 3000 });
    fail(breaker, 1);
    clock.advance(1000);
    admit(breaker).failure();
    expect(rejected(breaker).retryAfterMs).toBe(2000);
    clock.advance(2000);
    admit(breaker).failure();
    expect(rejected(breaker).retryAfterMs).toBe(3000);
  });

  it('a permit settled twice counts once', () => {
    const { breaker } = setup({ failureThreshold: 2 });
    const permit = admit(breaker);
    permit.failure();
    permit.failure();
    expect(breaker.state).toBe('closed');
  });
});
