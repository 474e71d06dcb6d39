// readiness(): 503 while a critical breaker is open or forced-open, 200 otherwise.
import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../circuit-breaker.js';
import { ManualClock } from '../clock.js';
import { KeyedBreakers } from '../keyed-breakers.js';
import { BreakerRegistry, defaultRegistry } from '../registry.js';
import { readiness } from './readiness.js';

function setup() {
  const clock = new ManualClock(0);
  const registry = new BreakerRegistry();
  const make = (name: string): CircuitBreaker =>
    new CircuitBreaker({ name, registry, clock, failureThreshold: 1, openDuration: 5_000 });
  return { clock, registry, payments: make('payments'), search: make('search') };
}

function trip(breaker: CircuitBreaker): void {
  const permit = breaker.tryAcquire();
  if (!permit.admitted) throw new Error('expected a permit');
  permit.failure();
}

describe('readiness', () => {
  it('is ready while every critical breaker admits calls', () => {
    const { registry } = setup();
    const result = readiness(registry, { critical: ['payments'] });
    expect(result.status).toBe(200);
    expect(result.headers['Retry-After']).toBeUndefined();
    expect(result.body).toMatchObject({ status: 'ready', critical: 1, unavailable: [] });
  });

  it('answers 503 with Retry-After while a critical breaker is open', () => {
    const { clock, registry, payments } = setup();
    trip(payments);
    clock.advance(1_500);
    const result = readiness(registry, { critical: ['payments', 'search'] });
    expect(result.status).toBe(503);
    expect(result.headers).toMatchObject({
      'Retry-After': '4', // 3.5 s left, rounded up: a probe that waits it is admitted
      'Cache-Control': 'no-store',
      'Content-Type': 'application/json; charset=utf-8',
    });
    expect(result.body).toMatchObject({
      status: 'unready',
      critical: 2,
      unavailable: [{ name: 'payments', key: null, state: 'open', retryAfterMs: 3_500 }],
    });
  });

  it('ignores breakers that are not critical', () => {
    const { registry, search } = setup();
    trip(search);
    expect(readiness(registry, { critical: ['payments'] }).status).toBe(200);
  });

  it('is unready while a critical breaker is forced open, ready again once it is half-open or reset', () => {
    const { clock, registry, payments } = setup();
    payments.forceOpen();
    expect(readiness(registry, { critical: ['payments'] }).body.unavailable).toMatchObject([
      { state: 'forced-open' },
    ]);
    payments.reset();
    trip(payments);
    expect(readiness(registry, { critical: ['payments'] }).status).toBe(503);
    clock.advance(5_000); // half-open: probes go through
    expect(readiness(registry, { critical: ['payments'] }).status).toBe(200);
  });

  it('takes a predicate, e.g. every breaker of a keyed family', () => {
    const clock = new ManualClock(0);
    const registry = new BreakerRegistry();
    const tenants = new KeyedBreakers({ name: 'tenant', registry, clock, failureThreshold: 1 }, 10);
    trip(tenants.get('acme'));
    tenants.get('globex');
    const result = readiness(registry, { critical: (b) => b.name.startsWith('tenant:') });
    expect(result.status).toBe(503);
    expect(result.body).toMatchObject({
      critical: 2,
      unavailable: [{ name: 'tenant:acme', key: 'acme', state: 'open' }],
    });
    tenants.close();
  });

  it("takes the options alone and then reads core's default registry", () => {
    const breaker = new CircuitBreaker({ name: 'readiness-default', failureThreshold: 1 });
    try {
      trip(breaker);
      expect(readiness({ critical: ['readiness-default'] }).status).toBe(503);
      expect(readiness(undefined, { critical: ['readiness-default'] }).status).toBe(503);
      expect(readiness(defaultRegistry, { critical: [] }).status).toBe(200);
    } finally {
      breaker.close();
    }
  });

  it('refuses a missing or malformed critical option', () => {
    const { registry } = setup();
    // @ts-expect-error: options are required
    expect(() => readiness(registry)).toThrow(TypeError);
    // @ts-expect-error: a bare string is not a list of names
    expect(() => readiness(registry, { critical: 'payments' })).toThrow(/options.critical/);
  });
});
