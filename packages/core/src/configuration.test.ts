// Option validation: every bad option is a TypeError naming the option, the value and what is allowed.
import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from './circuit-breaker.js';
import { ManualClock } from './clock.js';
import { configDifference, parseBreakerOptions } from './configuration.js';
import type { BreakerOptions } from './options.js';

describe('parseBreakerOptions', () => {
  it('applies the documented defaults', () => {
    const config = parseBreakerOptions({});
    expect(config).toMatchObject({
      failureThreshold: 5,
      failureRateThreshold: undefined,
      window: { type: 'count', size: 100 },
      minimumCalls: 10,
      openDuration: 30_000,
      maxOpenDuration: 30_000,
      halfOpenMaxCalls: 1,
      successThreshold: 1,
      timeout: undefined,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it.each<[string, BreakerOptions, RegExp]>([
    ['failureThreshold', { failureThreshold: 0 }, /"failureThreshold" must be an integer from 1/],
    ['failureThreshold', { failureThreshold: 1.5 }, /received 1.5/],
    [
      'failureRateThreshold',
      { failureRateThreshold: 0 },
      /"failureRateThreshold" must be a percentage/,
    ],
    ['failureRateThreshold', { failureRateThreshold: 101 }, /received 101/],
    [
      'slowCallRateThreshold',
      { slowCallRateThreshold: 50 },
      /"slowCallDurationThreshold" must be set/,
    ],
    ['openDuration', { openDuration: -1 }, /"openDuration" must be a number of milliseconds/],
    ['openDuration', { openDuration: Infinity }, /received Infinity/],
    [
      'maxOpenDuration',
      { openDuration: 1000, maxOpenDuration: 10 },
      /"maxOpenDuration" must be ≥ openDuration/,
    ],
    ['halfOpenMaxCalls', { halfOpenMaxCalls: 0 }, /"halfOpenMaxCalls"/],
    ['successThreshold', { successThreshold: -2 }, /"successThreshold"/],
    ['timeout', { timeout: 0 }, /"timeout"/],
    ['window', { window: 'count' as never }, /"window" must be/],
    [
      'window.type',
      { window: { type: 'sliding' } as never },
      /"window.type" must be "count" or "time"/,
    ],
    ['window.size', { window: { type: 'count', size: 0 } }, /"window.size"/],
    ['window.duration', { window: { type: 'time', duration: -5 } }, /"window.duration"/],
    ['minimumCalls', { minimumCalls: 0 }, /"minimumCalls"/],
    ['isFailure', { isFailure: 'yes' as never }, /"isFailure" must be a function; received "yes"/],
    ['name', { name: '' }, /"name" must be a non-empty string/],
    ['clock', { clock: {} as never }, /"clock" must be an object with a now\(\) method/],
    ['logger', { logger: console.log as never }, /"logger"/],
    ['store', { store: 5 as never }, /"store"/],
  ])('rejects a bad %s', (_name, options, message) => {
    expect(() => parseBreakerOptions(options)).toThrow(TypeError);
    expect(() => parseBreakerOptions(options)).toThrow(message);
  });

  it('the constructor validates too', () => {
    expect(() => new CircuitBreaker({ registry: false, openDuration: 'soon' as never })).toThrow(
      /option "openDuration"/,
    );
  });
});

describe('breaker options with inherited properties', () => {
  it('reads options inherited from a prototype object', () => {
    const breaker = new CircuitBreaker(
      Object.create({ registry: false, failureThreshold: 2, openDuration: 1234 }) as BreakerOptions,
    );
    expect(breaker.config.failureThreshold).toBe(2);
    expect(breaker.config.openDuration).toBe(1234);
    expect(breaker.registry).toBeUndefined();
  });

  it('reads a class instance whose options are getters', () => {
    class Options {
      readonly registry = false as const;
      get failureThreshold(): number {
        return 4;
      }
      get window(): BreakerOptions['window'] {
        return { type: 'time', duration: 5_000 };
      }
    }
    const config = new CircuitBreaker(new Options()).config;
    expect(config.failureThreshold).toBe(4);
    expect(config.window).toEqual({ type: 'time', duration: 5_000 });
  });

  it('validates inherited values like own ones', () => {
    expect(() => parseBreakerOptions(Object.create({ minimumCalls: 0 }) as BreakerOptions)).toThrow(
      /"minimumCalls"/,
    );
  });
});

describe('configDifference', () => {
  it('names the first option on which two configurations disagree', () => {
    const clock = new ManualClock();
    const isFailure = (): boolean => true;
    const base = { clock, isFailure, failureThreshold: 2 };
    expect(configDifference(parseBreakerOptions(base), parseBreakerOptions(base))).toBeUndefined();
    expect(
      configDifference(
        parseBreakerOptions({ ...base, window: { type: 'count', size: 5 } }),
        parseBreakerOptions({ ...base, window: { type: 'count', size: 5 } }),
      ),
    ).toBeUndefined();
    expect(
      configDifference(
        parseBreakerOptions(base),
        parseBreakerOptions({ ...base, clock: new ManualClock() }),
      ),
    ).toMatchObject({ option: 'clock' });
    expect(
      configDifference(
        parseBreakerOptions(base),
        parseBreakerOptions({ ...base, isFailure: () => true }),
      ),
    ).toMatchObject({ option: 'isFailure' });
    expect(
      configDifference(
        parseBreakerOptions(base),
        parseBreakerOptions({ ...base, openDuration: 5 }),
      ),
    ).toMatchObject({ option: 'openDuration', existing: 30_000, requested: 5 });
    expect(
      configDifference(
        parseBreakerOptions(base),
        parseBreakerOptions({ ...base, logger: console }),
      ),
    ).toBeUndefined();
  });
});
