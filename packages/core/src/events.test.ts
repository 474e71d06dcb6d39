// What an operator hears through typed events: transitions, rejections, probes and calls, on breaker and registry.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { admit } from '@breakwater/test-support';
import { CircuitBreaker } from './circuit-breaker.js';
import { ManualClock } from './clock.js';
import type { CallEvent, ProbeEvent, RejectEvent, StateChangeEvent } from './events.js';
import { KeyedBreakers } from './keyed-breakers.js';
import type { BreakerOptions } from './options.js';
import { BreakerRegistry } from './registry.js';

function setup(options: BreakerOptions = {}) {
  const clock = new ManualClock(1_000);
  const registry = new BreakerRegistry();
  const breaker = new CircuitBreaker({
    name: 'upstream',
    registry,
    clock,
    failureThreshold: 2,
    openDuration: 1000,
    ...options,
  });
  return { clock, registry, breaker };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('breaker events', () => {
  it('a trip, a rejection, a probe and a recovery each emit one typed event', () => {
    const { clock, breaker } = setup();
    const changes: StateChangeEvent[] = [];
    const rejects: RejectEvent[] = [];
    const probes: ProbeEvent[] = [];
    breaker.onStateChange((e) => changes.push(e));
    breaker.onReject((e) => rejects.push(e));
    breaker.onProbe((e) => probes.push(e));

    admit(breaker).failure();
    admit(breaker).failure();
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({
      breaker: 'upstream',
      key: undefined,
      from: 'closed',
      to: 'open',
      reason: 'failure-threshold',
      generation: 1,
    });
    expect(changes[0]!.reopenAt! - changes[0]!.at).toBe(1000);

    clock.advance(250);
    expect(breaker.tryAcquire().admitted).toBe(false);
    expect(rejects).toEqual([
      { breaker: 'upstream', key: undefined, state: 'open', retryAfterMs: 750, shadow: false },
    ]);

    clock.advance(750);
    const probe = admit(breaker);
    expect(changes[1]).toMatchObject({
      from: 'open',
      to: 'half-open',
      reason: 'open-duration-elapsed',
      reopenAt: undefined,
    });
    expect(probes).toEqual([{ breaker: 'upstream', key: undefined, generation: 2, inFlight: 1 }]);

    probe.success();
    expect(changes.map((e) => `${e.from}>${e.to}:${e.reason}`)).toEqual([
      'closed>open:failure-threshold',
      'open>half-open:open-duration-elapsed',
      'half-open>closed:probe-success',
    ]);
  });

  it('call events carry result, duration, slowness, probe flag and whether the outcome counted', () => {
    const { clock, breaker } = setup({ slowCallDurationThreshold: 100, failureThreshold: 1 });
    const calls: CallEvent[] = [];
    breaker.onCall((e) => calls.push(e));

    const early = admit(breaker);
    const slow = admit(breaker);
    clock.advance(150);
    slow.failure(); // opens the breaker: `early` now belongs to an older generation
    early.success();
    clock.advance(1000);
    const probe = admit(breaker);
    clock.advance(20);
    probe.ignore();

    expect(calls).toEqual([
      {
        breaker: 'upstream',
        key: undefined,
        result: 'failure',
        durationMs: 150,
        slow: true,
        probe: false,
        counted: true,
      },
      {
        breaker: 'upstream',
        key: undefined,
        result: 'success',
        durationMs: 150,
        slow: true,
        probe: false,
        counted: false,
      },
      {
        breaker: 'upstream',
        key: undefined,
        result: 'ignored',
        durationMs: 20,
        slow: false,
        probe: true,
        counted: false,
      },
    ]);
  });

  it('a timed-out call is reported once, as timeout', () => {
    const { clock, breaker } = setup({ timeout: 50, failureThreshold: 10 });
    const calls: CallEvent[] = [];
    breaker.onCall((e) => calls.push(e));
    const permit = admit(breaker);
    clock.advance(50);
    permit.success(); // too late: already settled by the timeout
    expect(calls.map((e) => [e.result, e.durationMs])).toEqual([['timeout', 50]]);
  });

  it('administrative transitions are reported with their reason', () => {
    const { breaker } = setup();
    const reasons: string[] = [];
    breaker.onStateChange((e) => reasons.push(`${e.to}:${e.reason}`));
    breaker.forceOpen();
    breaker.reset();
    breaker.disable();
    breaker.reset();
    expect(reasons).toEqual([
      'forced-open:forced-open',
      'closed:reset',
      'disabled:disabled',
      'closed:reset',
    ]);
  });

  it('keyed breakers report their key and <name>:<key> name', () => {
    const clock = new ManualClock();
    const registry = new BreakerRegistry();
    const family = new KeyedBreakers({ name: 'tenant', registry, clock, failureThreshold: 1 }, 10);
    const changes: StateChangeEvent[] = [];
    registry.onStateChange((e) => changes.push(e));
    admit(family.get('acme')).failure();
    expect(changes).toMatchObject([{ breaker: 'tenant:acme', key: 'acme', to: 'open' }]);
    family.close();
  });

  it('a disposed listener hears nothing more, and disposing twice is harmless', () => {
    const { breaker } = setup({ failureThreshold: 1 });
    const heard: string[] = [];
    const sub = breaker.onStateChange((e) => heard.push(e.to));
    breaker.forceOpen();
    sub.dispose();
    sub.dispose();
    breaker.reset();
    expect(heard).toEqual(['forced-open']);
  });
});

describe('registry events', () => {
  it('registry listeners hear every breaker, and onAdd/onRemove follow membership', () => {
    const clock = new ManualClock();
    const registry = new BreakerRegistry();
    const added: string[] = [];
    const removed: string[] = [];
    const rejects: string[] = [];
    registry.onAdd((b) => added.push(b.name));
    registry.onRemove((b) => removed.push(b.name));
    registry.onReject((e) => rejects.push(e.breaker));
    const a = new CircuitBreaker({ name: 'a', registry, clock });
    const b = new CircuitBreaker({ name: 'b', registry, clock });
    a.forceOpen();
    b.forceOpen();
    a.tryAcquire();
    b.tryAcquire();
    a.close();
    a.close();
    expect(added).toEqual(['a', 'b']);
    expect(removed).toEqual(['a']);
    expect(rejects).toEqual(['a', 'b']);
  });

  it('an evicted keyed breaker is reported as removed', () => {
    const registry = new BreakerRegistry();
    const removed: string[] = [];
    registry.onRemove((b) => removed.push(b.name));
    const family = new KeyedBreakers({ name: 'k', registry }, 2);
    family.get('1');
    family.get('2');
    family.get('3');
    expect(removed).toEqual(['k:1']);
    expect(registry.size).toBe(2);
    family.close();
  });

  it('a registry call listener turns on call timing for breakers that did not time calls', () => {
    const { clock, registry, breaker } = setup();
    const durations: number[] = [];
    const sub = registry.onCall((e) => durations.push(e.durationMs));
    const permit = admit(breaker);
    clock.advance(42);
    permit.success();
    sub.dispose();
    expect(durations).toEqual([42]);
  });

  it('a breaker created after a registry call listener subscribed times its calls too', () => {
    const clock = new ManualClock(0);
    const registry = new BreakerRegistry();
    const durations: number[] = [];
    const sub = registry.onCall((e) => durations.push(e.durationMs));
    const late = new CircuitBreaker({ name: 'late', registry, clock });
    const permit = admit(late);
    clock.advance(17);
    permit.success();
    sub.dispose();
    late.close();
    expect(durations).toEqual([17]);
  });

  it('a call admitted before anyone listened is not given a bogus duration', () => {
    const { clock, breaker } = setup();
    const permit = admit(breaker); // untimed: nobody listens yet
    clock.advance(5);
    const durations: number[] = [];
    breaker.onCall((e) => durations.push(e.durationMs));
    permit.success();
    expect(durations).toEqual([0]);
  });
});

describe('throwing listeners', () => {
  it('a throwing listener never breaks the call, and the other listeners still hear it', () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const { registry, breaker } = setup({ failureThreshold: 1 });
    const heard: string[] = [];
    breaker.onStateChange(() => {
      throw new Error('listener bug');
    });
    breaker.onStateChange((e) => heard.push(e.to));
    registry.onCall(() => {
      throw new Error('call listener bug');
    });
    registry.onReject(() => {
      throw new Error('reject listener bug');
    });

    expect(() => admit(breaker).failure()).not.toThrow();
    expect(breaker.state).toBe('open');
    expect(heard).toEqual(['open']);
    expect(breaker.tryAcquire()).toMatchObject({ admitted: false, state: 'open' });
    expect(warn).toHaveBeenCalledTimes(3);
    expect(warn.mock.calls[0]![0]).toContain('listener bug');
  });

  it('execute() still returns the value when a call listener throws', async () => {
    vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const { breaker } = setup();
    breaker.onCall(() => {
      throw new Error('boom');
    });
    await expect(breaker.execute(() => 7)).resolves.toBe(7);
  });
});
