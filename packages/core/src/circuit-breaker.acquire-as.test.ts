// tryAcquireAs: a caller's own per-call object as the permit, in every state and with `timeout`.
import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from './circuit-breaker.js';
import { ManualClock } from './clock.js';
import type { BreakerOptions } from './options.js';
import { Permit, timedClass, type Timed } from './permit.js';

class Call extends Permit {
  note = 'mine';
}

const TimedCall = timedClass(Call);

function setup(options: BreakerOptions = {}) {
  const clock = new ManualClock(1_000);
  const breaker = new CircuitBreaker({ registry: false, clock, openDuration: 1000, ...options });
  const acquire = () => breaker.tryAcquireAs(Call, TimedCall);
  return { clock, breaker, acquire };
}

function admitted(result: Call | { admitted: false }): Call {
  if (!result.admitted) throw new Error('expected a permit');
  return result;
}

describe('CircuitBreaker.tryAcquireAs', () => {
  it('hands out the caller’s class while closed, settled like any permit', () => {
    const { breaker, acquire } = setup({ failureThreshold: 2 });
    const call = admitted(acquire());
    expect(call).toBeInstanceOf(Call);
    expect(call.note).toBe('mine');
    expect(breaker.inFlight).toBe(1);
    call.failure();
    admitted(acquire()).failure();
    expect(breaker.state).toBe('open');
    expect(breaker.inFlight).toBe(0);
  });

  it('refuses with the breaker’s Rejection while open', () => {
    const { acquire } = setup({ failureThreshold: 1 });
    admitted(acquire()).failure();
    const result = acquire();
    expect(result.admitted).toBe(false);
    expect(result).not.toBeInstanceOf(Call);
  });

  it('makes a half-open probe of the caller’s class, and its success closes the breaker', () => {
    const { clock, breaker, acquire } = setup({ failureThreshold: 1 });
    admitted(acquire()).failure();
    clock.advance(1000);
    const probe = admitted(acquire());
    expect(probe).toBeInstanceOf(Call);
    expect(probe.probe).toBe(true);
    expect(acquire().admitted).toBe(false); // the one probe slot is taken
    probe.success();
    expect(breaker.state).toBe('closed');
  });

  it('with `timeout`, uses the timed class; a call settled in time leaves the deadline queue', () => {
    const { clock, breaker, acquire } = setup({ timeout: 100 });
    const call = admitted(acquire()) as Call & Timed;
    expect(call).toBeInstanceOf(TimedCall);
    expect(call.queue).toBeDefined();
    call.success();
    expect(call.queue).toBeUndefined();
    clock.advance(1000);
    expect(breaker.snapshot().totals).toMatchObject({ success: 1, timeout: 0 });
  });

  it('with `timeout`, a call still running at its deadline times out', () => {
    const { clock, breaker, acquire } = setup({ timeout: 100, failureThreshold: 1 });
    const call = admitted(acquire());
    clock.advance(100);
    expect(call.settled).toBe(true);
    expect(breaker.state).toBe('open');
    expect(breaker.snapshot().totals).toMatchObject({ timeout: 1 });
  });

  it('while disabled, admits the caller’s class and records nothing', () => {
    const { breaker, acquire } = setup({ failureThreshold: 1 });
    breaker.disable();
    const call = admitted(acquire());
    expect(call).toBeInstanceOf(Call);
    call.failure();
    expect(breaker.snapshot().totals.failure).toBe(0);
  });
});
