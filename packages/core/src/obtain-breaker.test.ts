// registry.obtain(): same name, same breaker; a clash names the option that differs.
import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from './circuit-breaker.js';
import { ManualClock } from './clock.js';
import { KeyedBreakers } from './keyed-breakers.js';
import type { BreakerOptions } from './options.js';
import { BreakerRegistry } from './registry.js';
import { MemoryStore } from './store.js';

function clashOf(first: BreakerOptions, second: BreakerOptions): string {
  const registry = new BreakerRegistry();
  registry.obtain({ name: 'db', ...first });
  try {
    registry.obtain({ name: 'db', ...second });
  } catch (error) {
    expect(error).toBeInstanceOf(TypeError);
    return (error as Error).message;
  }
  throw new Error('expected a clash');
}

describe('obtainBreaker', () => {
  it('shares one breaker when every option agrees, a different logger included', () => {
    const registry = new BreakerRegistry();
    const clock = new ManualClock();
    const isFailure = (): boolean => false;
    const a = registry.obtain({ name: 'db', clock, isFailure, failureThreshold: 2 });
    const b = registry.obtain({
      registry,
      name: 'db',
      clock,
      isFailure,
      failureThreshold: 2,
      logger: { warn() {}, error() {} },
    });
    expect(b).toBe(a);
  });

  it.each<[string, BreakerOptions, BreakerOptions, RegExp]>([
    [
      'store',
      {},
      { store: new MemoryStore() },
      /existing a MemoryStore \(one instance\), requested a MemoryStore \(another instance\)/,
    ],
    ['clock', { clock: new ManualClock() }, { clock: new ManualClock() }, /a ManualClock/],
    [
      'isFailure',
      {
        isFailure: function strict() {
          return true;
        },
      },
      {
        isFailure: function lenient() {
          return false;
        },
      },
      /existing function strict, requested function lenient/,
    ],
    [
      'failureThreshold',
      { failureThreshold: 2 },
      { failureThreshold: 3 },
      /existing 2, requested 3/,
    ],
    ['window', {}, { window: { type: 'time', duration: 1000 } }, /"window"/],
  ])('a clash in %s names that option and both values', (option, first, second, values) => {
    const message = clashOf(first, second);
    expect(message).toContain(`a different "${option}"`);
    expect(message).toMatch(values);
    expect(message).toMatch(/must agree on .*isFailure, clock, store/);
  });

  it('refuses to take the name of a keyed breaker', () => {
    const registry = new BreakerRegistry();
    const keyed = new KeyedBreakers({ registry, name: 'api' }, 10);
    keyed.get('a');
    expect(() => registry.obtain({ name: 'api:a' })).toThrow(/keyed breaker/);
    keyed.close();
  });

  it('builds a new breaker for an unnamed request or an unknown name', () => {
    const registry = new BreakerRegistry();
    expect(registry.obtain({})).toBeInstanceOf(CircuitBreaker);
    expect(registry.obtain({ name: 'x' }).name).toBe('x');
    expect(registry.size).toBe(2);
  });
});
