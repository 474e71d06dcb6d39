// registry.configure(): one breaker, a name prefix or a keyed family, validated before anything changes.
import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock.js';
import { parseBreakerOptions } from './configuration.js';
import { BreakerRegistry } from './registry.js';

function setup() {
  const registry = new BreakerRegistry();
  const clock = new ManualClock(0);
  const payments = registry.obtain({ name: 'payments', registry, clock });
  const paymentsRefunds = registry.obtain({ name: 'payments-refunds', registry, clock });
  const search = registry.obtain({ name: 'search', registry, clock });
  const tenants = registry.family('tenant', parseBreakerOptions({ registry, clock }), 10);
  const acme = tenants.get('acme');
  return { registry, payments, paymentsRefunds, search, tenants, acme };
}

describe('registry.configure()', () => {
  it('changes one breaker by name', () => {
    const { registry, payments, paymentsRefunds } = setup();
    const result = registry.configure('payments', { failureThreshold: 2 });
    expect(result).toEqual({ breakers: ['payments'], families: [] });
    expect(payments.config.failureThreshold).toBe(2);
    expect(paymentsRefunds.config.failureThreshold).toBe(5);
  });

  it('changes every breaker of a prefix', () => {
    const { registry, payments, paymentsRefunds, search } = setup();
    const result = registry.configure('payments*', { openDuration: 60_000 });
    expect([...result.breakers].sort()).toEqual(['payments', 'payments-refunds']);
    expect(payments.config.openDuration).toBe(60_000);
    expect(payments.config.maxOpenDuration).toBe(60_000);
    expect(paymentsRefunds.config.openDuration).toBe(60_000);
    expect(search.config.openDuration).toBe(30_000);
  });

  it('changes a keyed family: its held breakers and those created later', () => {
    const { registry, tenants, acme } = setup();
    const result = registry.configure('tenant:', { failureThreshold: 7 });
    expect(result).toEqual({ breakers: ['tenant:acme'], families: ['tenant'] });
    expect(acme.config.failureThreshold).toBe(7);
    expect(tenants.get('globex').config.failureThreshold).toBe(7);
  });

  it('changes nothing anywhere when the change is invalid', () => {
    const { registry, payments, paymentsRefunds } = setup();
    expect(() => registry.configure('payments*', { failureThreshold: 0 })).toThrow(
      /option "failureThreshold" must be an integer from 1/,
    );
    expect(payments.config.failureThreshold).toBe(5);
    expect(paymentsRefunds.config.failureThreshold).toBe(5);
  });

  it('names nothing for an unknown target', () => {
    const { registry } = setup();
    expect(registry.configure('nope', { failureThreshold: 2 })).toEqual({
      breakers: [],
      families: [],
    });
  });

  it('selects everything with "*"', () => {
    const { registry } = setup();
    expect(
      registry
        .select('*')
        .breakers.map((b) => b.name)
        .sort(),
    ).toEqual(['payments', 'payments-refunds', 'search', 'tenant:acme']);
  });
});
