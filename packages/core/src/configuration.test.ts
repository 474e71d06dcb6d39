// Option validation: every bad option is a TypeError naming the option, the value and what is allowed.
import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from './circuit-breaker.js';
import { parseBreakerOptions } from './configuration.js';
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
