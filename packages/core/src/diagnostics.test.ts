// What APM tools see on node:diagnostics_channel: every breaker event on its `breakwater:*` channel.
import diagnosticsChannel from 'node:diagnostics_channel';
import { afterEach, describe, expect, it } from 'vitest';
import { admit } from '@breakwater/test-support';
import { CircuitBreaker } from './circuit-breaker.js';
import { ManualClock } from './clock.js';
import { DIAGNOSTICS_CHANNELS } from './diagnostics.js';
import type { BreakerEventMap } from './events.js';

type Heard = { [K in keyof BreakerEventMap]: BreakerEventMap[K][] };

const unsubscribers: (() => void)[] = [];

/** Subscribes to every Breakwater channel by name, as an APM tool would, without touching a breaker. */
function listen(): Heard {
  const heard: Heard = { stateChange: [], reject: [], probe: [], call: [], cache: [], admin: [] };
  for (const type of Object.keys(DIAGNOSTICS_CHANNELS) as (keyof BreakerEventMap)[]) {
    const onMessage = (message: unknown): void => {
      (heard[type] as unknown[]).push(message);
    };
    diagnosticsChannel.subscribe(DIAGNOSTICS_CHANNELS[type], onMessage);
    unsubscribers.push(() => diagnosticsChannel.unsubscribe(DIAGNOSTICS_CHANNELS[type], onMessage));
  }
  return heard;
}

afterEach(() => {
  for (const unsubscribe of unsubscribers.splice(0)) unsubscribe();
});

describe('diagnostics_channel', () => {
  it('names one breakwater:* channel per event type', () => {
    expect(DIAGNOSTICS_CHANNELS).toEqual({
      stateChange: 'breakwater:state-change',
      reject: 'breakwater:reject',
      probe: 'breakwater:probe',
      call: 'breakwater:call',
      cache: 'breakwater:cache',
      admin: 'breakwater:admin',
    });
  });

  it('publishes a scripted trip, rejection, probe and recovery on the named channels', () => {
    const heard = listen();
    const clock = new ManualClock(0);
    const breaker = new CircuitBreaker({
      name: 'dc-trip',
      registry: false,
      clock,
      failureThreshold: 2,
      openDuration: 500,
      timeout: 1000,
    });
    admit(breaker).success();
    admit(breaker).failure();
    admit(breaker).failure();
    clock.advance(100);
    breaker.tryAcquire();
    clock.advance(400);
    const probe = admit(breaker);
    clock.advance(30);
    probe.success();

    expect(heard.stateChange.map((e) => [e.breaker, e.from, e.to, e.reason])).toEqual([
      ['dc-trip', 'closed', 'open', 'failure-threshold'],
      ['dc-trip', 'open', 'half-open', 'open-duration-elapsed'],
      ['dc-trip', 'half-open', 'closed', 'probe-success'],
    ]);
    expect(heard.reject).toEqual([
      { breaker: 'dc-trip', key: undefined, state: 'open', retryAfterMs: 400, shadow: false },
    ]);
    expect(heard.probe).toEqual([
      { breaker: 'dc-trip', key: undefined, generation: 2, inFlight: 1 },
    ]);
    expect(heard.call.map((e) => [e.result, e.durationMs, e.probe])).toEqual([
      ['success', 0, false],
      ['failure', 0, false],
      ['failure', 0, false],
      ['success', 30, true],
    ]);
    breaker.close();
  });

  it('a breaker that times nothing times its calls while someone listens on breakwater:call', () => {
    const clock = new ManualClock(0);
    const breaker = new CircuitBreaker({ name: 'dc-untimed', registry: false, clock });
    const unheard = admit(breaker);
    clock.advance(10);
    const heard = listen();
    const timed = admit(breaker);
    clock.advance(25);
    timed.success();
    unheard.success(); // admitted before anyone listened: no duration to report
    for (const unsubscribe of unsubscribers.splice(0)) unsubscribe();
    expect(heard.call.map((e) => e.durationMs)).toEqual([25, 0]);
    const quiet = breaker.tryAcquire();
    expect(quiet.admitted && quiet.startedAt).toBe(-1);
    breaker.close();
  });

  it('publishes events of breakers outside any registry, and timeouts as call results', () => {
    const heard = listen();
    const clock = new ManualClock(0);
    const breaker = new CircuitBreaker({ name: 'dc-timeout', registry: false, clock, timeout: 50 });
    admit(breaker);
    clock.advance(50);
    expect(heard.call).toMatchObject([
      { breaker: 'dc-timeout', result: 'timeout', durationMs: 50 },
    ]);
    breaker.close();
  });

  it('publishes nothing, and builds no event, once every subscriber has left', () => {
    const heard = listen();
    for (const unsubscribe of unsubscribers.splice(0)) unsubscribe();
    const breaker = new CircuitBreaker({ name: 'dc-quiet', registry: false, failureThreshold: 1 });
    admit(breaker).failure();
    expect(heard.stateChange).toEqual([]);
    expect(heard.call).toEqual([]);
    breaker.close();
  });

  it('a subscriber that throws does not break the call: Node reports it as an uncaught exception instead', async () => {
    const errors: unknown[] = [];
    const vitestHandlers = process.listeners('uncaughtException');
    process.removeAllListeners('uncaughtException');
    const capture = (error: unknown): void => void errors.push(error);
    process.on('uncaughtException', capture);
    const throwing = (): void => {
      throw new Error('apm bug');
    };
    diagnosticsChannel.subscribe(DIAGNOSTICS_CHANNELS.call, throwing);
    try {
      const breaker = new CircuitBreaker({ name: 'dc-throw', registry: false });
      await expect(breaker.execute(() => 'ok')).resolves.toBe('ok');
      expect(breaker.snapshot().totals.success).toBe(1);
      breaker.close();
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      diagnosticsChannel.unsubscribe(DIAGNOSTICS_CHANNELS.call, throwing);
      process.off('uncaughtException', capture);
      for (const handler of vitestHandlers) process.on('uncaughtException', handler);
    }
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toBe('apm bug');
  });
});
