// Shadow mode: the state machine runs and records, every call is admitted, would-rejects are counted.
import { describe, expect, it } from 'vitest';
import { admit } from '@breakwater/test-support';
import { CircuitBreaker } from './circuit-breaker.js';
import { ManualClock } from './clock.js';
import type { RejectEvent } from './events.js';
import type { BreakerOptions } from './options.js';

function setup(options: BreakerOptions = {}) {
  const clock = new ManualClock(1_000);
  const breaker = new CircuitBreaker({
    registry: false,
    clock,
    openDuration: 1000,
    failureThreshold: 2,
    mode: 'shadow',
    ...options,
  });
  return { clock, breaker };
}

describe('shadow mode', () => {
  it('opens like enforce but admits every call, counting would-rejects', () => {
    const { breaker } = setup();
    const rejects: RejectEvent[] = [];
    breaker.onReject((event) => rejects.push(event));
    admit(breaker).failure();
    admit(breaker).failure();
    expect(breaker.state).toBe('open');
    const permit = admit(breaker);
    admit(breaker).success();
    expect(breaker.state).toBe('open');
    permit.failure();
    const snap = breaker.snapshot();
    expect(snap.mode).toBe('shadow');
    expect(snap.totals.wouldReject).toBe(2);
    expect(snap.totals.rejected).toBe(0);
    expect(snap.totals.failure).toBe(3);
    expect(snap.totals.success).toBe(1);
    expect(rejects).toHaveLength(2);
    expect(rejects[0]).toMatchObject({ state: 'open', shadow: true, retryAfterMs: 1000 });
  });

  it('admits probes as enforce would and closes on their success', () => {
    const { breaker, clock } = setup();
    admit(breaker).failure();
    admit(breaker).failure();
    clock.advance(1000);
    const probe = admit(breaker);
    expect(probe.probe).toBe(true);
    const extra = admit(breaker); // every probe slot taken: a would-reject, admitted
    expect(extra.probe).toBe(false);
    extra.failure(); // not a probe: moves nothing
    expect(breaker.state).toBe('half-open');
    probe.success();
    expect(breaker.state).toBe('closed');
    expect(breaker.snapshot().totals.wouldReject).toBe(1);
  });

  it('admits calls while forced open, and disable keeps recording nothing', () => {
    const { breaker } = setup();
    breaker.forceOpen();
    admit(breaker).success();
    expect(breaker.snapshot().totals).toMatchObject({ wouldReject: 1, success: 1, rejected: 0 });
    breaker.disable();
    admit(breaker).failure();
    expect(breaker.snapshot().totals).toMatchObject({ wouldReject: 1, failure: 0 });
  });

  it('switches to enforce at run time and refuses from then on, keeping the state', () => {
    const { breaker } = setup();
    const actions: string[] = [];
    breaker.onAdmin((event) => actions.push(`${event.action}:${event.by ?? '-'}`));
    admit(breaker).failure();
    admit(breaker).failure();
    breaker.setMode('enforce', { by: 'ops' });
    expect(breaker.mode).toBe('enforce');
    expect(breaker.state).toBe('open');
    expect(breaker.tryAcquire().admitted).toBe(false);
    breaker.setMode('shadow');
    expect(breaker.tryAcquire().admitted).toBe(true);
    expect(actions).toEqual(['enforce:ops', 'shadow:-']);
  });

  it('rejects an unknown mode at construction and at run time', () => {
    expect(() => setup({ mode: 'watch' as never })).toThrow(/option "mode" must be/);
    const { breaker } = setup({ mode: 'enforce' });
    expect(() => breaker.setMode('off' as never)).toThrow(TypeError);
    expect(breaker.mode).toBe('enforce');
  });

  it('times out would-reject calls like any call when timeout is set', () => {
    const { breaker, clock } = setup({ timeout: 500 });
    admit(breaker).failure();
    admit(breaker).failure();
    admit(breaker); // never settled
    clock.advance(500);
    expect(breaker.inFlight).toBe(0);
    expect(breaker.snapshot().totals.timeout).toBe(1);
  });
});
