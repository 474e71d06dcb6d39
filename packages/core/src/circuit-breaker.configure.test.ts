// Live reconfiguration: validated like construction, applied at once or not at all, permits kept.
import { describe, expect, it } from 'vitest';
import { admit } from '@breakwater/test-support';
import { CircuitBreaker } from './circuit-breaker.js';
import { ManualClock } from './clock.js';
import type { AdminEvent } from './events.js';
import type { BreakerOptions } from './options.js';

function setup(options: BreakerOptions = {}) {
  const clock = new ManualClock(1_000);
  const breaker = new CircuitBreaker({
    registry: false,
    clock,
    openDuration: 1000,
    failureThreshold: 5,
    ...options,
  });
  return { clock, breaker };
}

describe('configure()', () => {
  it('applies a new failure threshold from the next outcome and emits an admin event', () => {
    const { breaker } = setup();
    const events: AdminEvent[] = [];
    breaker.onAdmin((event) => events.push(event));
    breaker.configure({ failureThreshold: 2 }, { by: 'alice' });
    expect(breaker.config.failureThreshold).toBe(2);
    admit(breaker).failure();
    admit(breaker).failure();
    expect(breaker.state).toBe('open');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: 'configure',
      by: 'alice',
      changes: { failureThreshold: 2 },
    });
  });

  it('throws a TypeError naming a bad value and changes nothing', () => {
    const { breaker } = setup({ minimumCalls: 4 });
    const before = breaker.config;
    expect(() => breaker.configure({ minimumCalls: 8, openDuration: -1 })).toThrow(
      /option "openDuration" must be a number of milliseconds > 0/,
    );
    expect(breaker.config).toBe(before);
    expect(breaker.config.minimumCalls).toBe(4);
  });

  it('rejects unknown options and options that cannot change live', () => {
    const { breaker } = setup();
    expect(() => breaker.configure({ failureTreshold: 3 } as never)).toThrow(
      /unknown option "failureTreshold"/,
    );
    expect(() => breaker.configure({ name: 'other' } as never)).toThrow(
      /option "name" cannot change on a live breaker/,
    );
    expect(() => breaker.configure({ clock: new ManualClock() } as never)).toThrow(/"clock"/);
    expect(breaker.name).not.toBe('other');
  });

  it('keeps the window when only a threshold changes, and starts a new one when the window changes', () => {
    const { breaker } = setup({ failureThreshold: 100, window: { type: 'count', size: 10 } });
    admit(breaker).failure();
    admit(breaker).success();
    breaker.configure({ failureRateThreshold: 90 });
    expect(breaker.snapshot().window.calls).toBe(2);
    breaker.configure({ window: { type: 'count', size: 20 } });
    expect(breaker.snapshot().window.calls).toBe(0);
  });

  it('keeps in-flight permits: a call admitted before still settles and counts', () => {
    const { breaker } = setup({ failureThreshold: 1 });
    const permit = admit(breaker);
    breaker.configure({ failureThreshold: 3, halfOpenMaxCalls: 2 });
    expect(breaker.inFlight).toBe(1);
    permit.failure();
    expect(breaker.inFlight).toBe(0);
    expect(breaker.state).toBe('closed'); // judged by the new threshold
    expect(breaker.snapshot().totals.failure).toBe(1);
  });

  it('applies openDuration from the next open round', () => {
    const { breaker, clock } = setup({ failureThreshold: 1 });
    admit(breaker).failure();
    breaker.configure({ openDuration: 5000 });
    expect(breaker.retryAfterMs).toBe(1000);
    clock.advance(1000);
    admit(breaker).failure(); // the probe fails: a new round, with the new duration
    expect(breaker.state).toBe('open');
    expect(breaker.retryAfterMs).toBe(5000);
  });

  it('applies a new timeout to new calls; calls in flight keep theirs', () => {
    const { breaker, clock } = setup({ timeout: 1000, failureThreshold: 10 });
    const old = admit(breaker);
    breaker.configure({ timeout: 5000 });
    const fresh = admit(breaker);
    clock.advance(1000);
    expect(old.settled).toBe(true);
    expect(fresh.settled).toBe(false);
    clock.advance(4000);
    expect(fresh.settled).toBe(true);
    expect(breaker.snapshot().totals.timeout).toBe(2);
  });

  it('turns a timeout off with null for new calls while an older timed call still times out', () => {
    const { breaker, clock } = setup({ timeout: 1000, failureThreshold: 10 });
    const old = admit(breaker);
    breaker.configure({ timeout: undefined });
    expect(breaker.config.timeout).toBe(1000); // undefined leaves it as it is
    breaker.configure({ timeout: null });
    expect(breaker.config.timeout).toBeUndefined();
    const fresh = admit(breaker);
    clock.advance(1000);
    expect(old.settled).toBe(true);
    expect(fresh.settled).toBe(false);
    fresh.success();
    expect(breaker.snapshot().totals).toMatchObject({ success: 1, timeout: 1 });
    expect(() => breaker.configure({ minimumCalls: null } as never)).toThrow(
      /option "minimumCalls" must be not null/,
    );
  });

  it('frees the timers of a replaced timeout on close()', () => {
    const { breaker, clock } = setup({ timeout: 1000, failureThreshold: 10 });
    const old = admit(breaker);
    breaker.configure({ timeout: 2000 });
    breaker.close();
    expect(clock.pendingTimers).toBe(0);
    clock.advance(5000);
    expect(old.settled).toBe(false);
  });

  it('starts timing calls when a timeout is set live', () => {
    const { breaker, clock } = setup({ failureThreshold: 10 });
    const untimed = admit(breaker);
    breaker.configure({ timeout: 100 });
    const timed = admit(breaker);
    clock.advance(100);
    expect(timed.settled).toBe(true);
    untimed.success();
    expect(breaker.snapshot().totals).toMatchObject({ success: 1, timeout: 1 });
  });
});
