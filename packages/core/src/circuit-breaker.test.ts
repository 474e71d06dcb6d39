// Behaviour of the breaker's state machine, permits, timeouts and administrative states.
import { describe, expect, it } from 'vitest';
import { admit } from '@breakwater/test-support';
import { CircuitBreaker } from './circuit-breaker.js';
import { ManualClock } from './clock.js';
import type { BreakerOptions } from './options.js';
import type { Rejection } from './permit.js';

function setup(options: BreakerOptions = {}) {
  const clock = new ManualClock(1_000);
  const breaker = new CircuitBreaker({ registry: false, clock, openDuration: 1000, ...options });
  return { clock, breaker };
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

describe('CircuitBreaker half-open safety', () => {
  it('counts a probe that has not settled within openDuration as failed', () => {
    const { breaker, clock } = setup({ failureThreshold: 1 });
    fail(breaker, 1);
    clock.advance(1000);
    const hung = admit(breaker);
    clock.advance(999);
    expect(rejected(breaker).state).toBe('half-open');
    clock.advance(1);
    expect(breaker.state).toBe('open');
    expect(breaker.snapshot().lastTransition?.reason).toBe('probe-timeout');
    hung.success();
    expect(breaker.state).toBe('open');
  });

  it('releases the probe slot of an ignored probe without counting it', () => {
    const { breaker, clock } = setup({ failureThreshold: 1 });
    fail(breaker, 1);
    clock.advance(1000);
    admit(breaker).ignore();
    expect(breaker.state).toBe('half-open');
    const next = admit(breaker);
    expect(next.probe).toBe(true);
    next.success();
    expect(breaker.state).toBe('closed');
  });

  it('drops a success from an earlier generation: a slow call admitted while closed cannot close an open breaker', () => {
    const { breaker, clock } = setup({ failureThreshold: 1 });
    const slow = admit(breaker);
    fail(breaker, 1);
    clock.advance(1000);
    const probe = admit(breaker);
    slow.success();
    expect(breaker.state).toBe('half-open');
    probe.failure();
    expect(breaker.state).toBe('open');
  });

  it('drops a failure from an earlier generation', () => {
    const { breaker, clock } = setup({ failureThreshold: 2 });
    const old = admit(breaker);
    fail(breaker, 2);
    clock.advance(1000);
    admit(breaker).success();
    expect(breaker.state).toBe('closed');
    old.failure();
    fail(breaker, 1);
    expect(breaker.state).toBe('closed');
  });

  it('resets the backoff once the breaker closes again', () => {
    const { breaker, clock } = setup({ failureThreshold: 1, maxOpenDuration: 8000 });
    fail(breaker, 1);
    clock.advance(1000);
    admit(breaker).failure();
    clock.advance(2000);
    admit(breaker).success();
    fail(breaker, 1);
    expect(rejected(breaker).retryAfterMs).toBe(1000);
  });

  it('keeps in-flight counts exact across generations', () => {
    const { breaker, clock } = setup({ failureThreshold: 1 });
    const a = admit(breaker);
    const b = admit(breaker);
    expect(breaker.inFlight).toBe(2);
    a.failure();
    clock.advance(1000);
    const probe = admit(breaker);
    expect(breaker.inFlight).toBe(2);
    b.ignore();
    probe.success();
    expect(breaker.inFlight).toBe(0);
  });
});

describe('CircuitBreaker timeout', () => {
  it('counts an unsettled call as a failure when its timeout expires', () => {
    const { breaker, clock } = setup({ failureThreshold: 1, timeout: 100 });
    const permit = admit(breaker);
    clock.advance(99);
    expect(breaker.state).toBe('closed');
    clock.advance(1);
    expect(breaker.state).toBe('open');
    expect(permit.settled).toBe(true);
    permit.success();
    expect(breaker.snapshot().totals).toMatchObject({ timeout: 1, success: 0 });
  });

  it('times out each call on its own deadline with one timer at a time', () => {
    const { breaker, clock } = setup({ failureThreshold: 3, timeout: 100 });
    const first = admit(breaker);
    clock.advance(50);
    admit(breaker);
    expect(clock.pendingTimers).toBe(1);
    first.success();
    clock.advance(60);
    expect(breaker.snapshot().totals.timeout).toBe(0);
    clock.advance(40);
    expect(breaker.snapshot().totals.timeout).toBe(1);
    expect(clock.pendingTimers).toBe(0);
  });

  it('a call settled in time leaves no timeout behind', () => {
    const { breaker, clock } = setup({ timeout: 100 });
    admit(breaker).success();
    clock.advance(1000);
    expect(breaker.snapshot().totals).toMatchObject({ success: 1, timeout: 0 });
  });

  it('a hung probe times out through the timeout as well', () => {
    const { breaker, clock } = setup({ failureThreshold: 1, timeout: 200 });
    fail(breaker, 1);
    clock.advance(1000);
    admit(breaker);
    clock.advance(200);
    expect(breaker.state).toBe('open');
    expect(breaker.snapshot().lastTransition?.reason).toBe('probe-timeout');
  });
});

describe('CircuitBreaker administrative states', () => {
  it('forceOpen rejects every call until reset', () => {
    const { breaker, clock } = setup();
    breaker.forceOpen();
    clock.advance(1_000_000);
    const rejection = rejected(breaker);
    expect(rejection.state).toBe('forced-open');
    expect(rejection.retryAfterMs).toBe(1000);
    breaker.reset();
    admit(breaker).success();
    expect(breaker.state).toBe('closed');
  });

  it('disable admits everything and records nothing', () => {
    const { breaker } = setup({ failureThreshold: 1 });
    breaker.disable();
    fail(breaker, 10);
    expect(breaker.state).toBe('disabled');
    expect(breaker.snapshot().totals.failure).toBe(0);
    expect(breaker.inFlight).toBe(0);
  });

  it('reset closes an open breaker and forgets its failures', () => {
    const { breaker } = setup({ failureThreshold: 2 });
    fail(breaker, 2);
    breaker.reset();
    fail(breaker, 1);
    expect(breaker.state).toBe('closed');
  });
});

describe('CircuitBreaker classification', () => {
  it('record() applies isFailure to the outcome', () => {
    const { breaker } = setup({ failureThreshold: 1, isFailure: (o) => o.status === 429 });
    expect(admit(breaker).record({ status: 500 })).toBe(false);
    expect(breaker.state).toBe('closed');
    expect(admit(breaker).record({ status: 429 })).toBe(true);
    expect(breaker.state).toBe('open');
  });

  it('by default 5xx statuses and errors are failures, 4xx are not', () => {
    const { breaker } = setup({ failureThreshold: 100 });
    expect(admit(breaker).record({ status: 404 })).toBe(false);
    expect(admit(breaker).record({ status: 503 })).toBe(true);
    expect(admit(breaker).record({ error: new Error('x') })).toBe(true);
    expect(admit(breaker).record({ status: 200 })).toBe(false);
  });

  it('an isFailure that throws is reported once and the default rule decides', () => {
    const warnings: string[] = [];
    const { breaker } = setup({
      failureThreshold: 1,
      isFailure: () => {
        throw new Error('boom');
      },
      logger: { warn: (m) => warnings.push(m), error: () => {} },
    });
    expect(admit(breaker).record({ status: 200 })).toBe(false);
    expect(admit(breaker).record({ status: 200 })).toBe(false);
    expect(breaker.state).toBe('closed');
    expect(admit(breaker).record({ status: 502 })).toBe(true);
    expect(breaker.state).toBe('open');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/ERR_BREAKWATER_IS_FAILURE_THREW.*isFailure threw/);
  });

  it('an error carrying a 4xx status (status or statusCode) is that status, not a failure', () => {
    const { breaker } = setup({ failureThreshold: 100 });
    const notFound = Object.assign(new Error('missing'), { status: 404 });
    const invalid = Object.assign(new Error('bad body'), { statusCode: 400 });
    const upstream = Object.assign(new Error('bad gateway'), { statusCode: 502 });
    expect(admit(breaker).record({ error: notFound })).toBe(false);
    expect(admit(breaker).record({ error: invalid })).toBe(false);
    expect(admit(breaker).record({ error: upstream })).toBe(true);
    expect(admit(breaker).record({ error: { status: 'nope' } })).toBe(true);
  });
});

describe('CircuitBreaker rates', () => {
  it('opens on the failure rate once minimumCalls are in the window', () => {
    const { breaker } = setup({
      failureRateThreshold: 50,
      minimumCalls: 4,
      window: { type: 'count', size: 10 },
    });
    admit(breaker).failure();
    admit(breaker).failure();
    admit(breaker).failure();
    expect(breaker.state).toBe('closed');
    admit(breaker).success();
    expect(breaker.state).toBe('open');
    expect(breaker.snapshot().lastTransition?.reason).toBe('failure-rate');
  });

  it('when both thresholds trip on the same call, the trip names the consecutive failures', () => {
    const { breaker } = setup({
      failureThreshold: 3,
      failureRateThreshold: 50,
      minimumCalls: 3,
      window: { type: 'count', size: 10 },
    });
    admit(breaker).failure();
    admit(breaker).failure();
    expect(breaker.state).toBe('closed');
    admit(breaker).failure();
    expect(breaker.state).toBe('open');
    expect(breaker.snapshot().lastTransition?.reason).toBe('failure-threshold');
  });

  it('with both set, the rate still trips when a success broke the run of failures', () => {
    const { breaker } = setup({
      failureThreshold: 3,
      failureRateThreshold: 60,
      minimumCalls: 5,
      window: { type: 'count', size: 5 },
    });
    for (const failed of [true, true, false, true, true]) {
      const permit = admit(breaker);
      if (failed) permit.failure();
      else permit.success();
    }
    expect(breaker.state).toBe('open');
    expect(breaker.snapshot().lastTransition?.reason).toBe('failure-rate');
  });

  it('with only a rate threshold set, consecutive failures do not trip', () => {
    const { breaker } = setup({ failureRateThreshold: 100, minimumCalls: 50 });
    fail(breaker, 20);
    expect(breaker.state).toBe('closed');
  });

  it('opens on the slow-call rate', () => {
    const { breaker, clock } = setup({
      slowCallDurationThreshold: 100,
      slowCallRateThreshold: 50,
      minimumCalls: 2,
    });
    const a = admit(breaker);
    clock.advance(150);
    a.success();
    expect(breaker.state).toBe('closed');
    const b = admit(breaker);
    clock.advance(101);
    b.success();
    expect(breaker.state).toBe('open');
    expect(breaker.snapshot().lastTransition?.reason).toBe('slow-call-rate');
  });

  it('a call exactly at the slow threshold is not slow', () => {
    const { breaker, clock } = setup({
      slowCallDurationThreshold: 100,
      slowCallRateThreshold: 100,
      minimumCalls: 1,
    });
    const a = admit(breaker);
    clock.advance(100);
    a.success();
    expect(breaker.state).toBe('closed');
  });

  it('failures slide out of a time window', () => {
    const { breaker, clock } = setup({
      failureRateThreshold: 50,
      minimumCalls: 4,
      window: { type: 'time', duration: 1000 },
    });
    fail(breaker, 3);
    clock.advance(1000);
    admit(breaker).success();
    admit(breaker).success();
    admit(breaker).success();
    admit(breaker).failure();
    expect(breaker.state).toBe('closed');
    expect(breaker.snapshot().window).toMatchObject({ calls: 4, failures: 1 });
  });
});

describe('CircuitBreaker remote state', () => {
  it('follows a remote open with the remote reopen time, and its event says so', () => {
    const { breaker } = setup({ openDuration: 1000 });
    const reopenIn: number[] = [];
    breaker.onStateChange((e) => reopenIn.push((e.reopenAt ?? 0) - e.at));
    expect(breaker.applyRemoteState({ state: 'open', retryAfterMs: 4000 })).toBe(true);
    expect(rejected(breaker).retryAfterMs).toBe(4000);
    expect(reopenIn).toEqual([4000]);
  });

  it('follows a remote close, but never overrides forced-open or disabled', () => {
    const { breaker } = setup({ failureThreshold: 1 });
    fail(breaker, 1);
    expect(breaker.applyRemoteState({ state: 'closed' })).toBe(true);
    expect(breaker.state).toBe('closed');
    breaker.forceOpen();
    expect(breaker.applyRemoteState({ state: 'closed' })).toBe(false);
    expect(breaker.state).toBe('forced-open');
  });
});

describe('CircuitBreaker open path', () => {
  it('reuses one Rejection per generation, refreshing its retryAfterMs', () => {
    const { breaker, clock } = setup({ failureThreshold: 1 });
    fail(breaker, 1);
    const first = rejected(breaker);
    expect(first.retryAfterMs).toBe(1000);
    clock.advance(300);
    const second = rejected(breaker);
    expect(second).toBe(first);
    expect(second.retryAfterMs).toBe(700);
    clock.advance(700);
    admit(breaker).failure();
    const next = rejected(breaker);
    expect(next).not.toBe(first);
    expect(first.retryAfterMs).toBe(700);
  });
});

describe('CircuitBreaker isFailure outcome', () => {
  it('gives a custom isFailure the call duration', () => {
    const seen: number[] = [];
    const { breaker, clock } = setup({
      isFailure: (o) => {
        seen.push(o.durationMs);
        return false;
      },
    });
    const permit = admit(breaker);
    clock.advance(250);
    permit.record({ status: 200 });
    const other = admit(breaker);
    clock.advance(40);
    other.recordStatus(503);
    expect(seen).toEqual([250, 40]);
  });

  it('recordStatus classifies 5xx as failure by default', () => {
    const { breaker } = setup({ failureThreshold: 2 });
    expect(admit(breaker).recordStatus(404)).toBe(false);
    expect(admit(breaker).recordStatus(500)).toBe(true);
    expect(admit(breaker).recordStatus(502)).toBe(true);
    expect(breaker.state).toBe('open');
  });
});
