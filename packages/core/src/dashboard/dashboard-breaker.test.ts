// dashboardBreaker() and familyOf(): a breaker's snapshot with its keyed family and thresholds.
import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../circuit-breaker.js';
import { BreakerRegistry } from '../registry.js';
import { dashboardBreaker, familyOf } from './dashboard-breaker.js';

describe('familyOf', () => {
  it('is the name without ":<key>" for a keyed breaker, else null', () => {
    expect(familyOf('tenant:acme', 'acme')).toBe('tenant');
    expect(familyOf('GET /users/:id:42', '42')).toBe('GET /users/:id');
    expect(familyOf('orders', undefined)).toBeNull();
    expect(familyOf('orders', null)).toBeNull();
  });
});

describe('dashboardBreaker', () => {
  it('adds the thresholds its rates are judged against, null for the rules that are off', () => {
    const registry = new BreakerRegistry();
    const breaker = new CircuitBreaker({
      name: 'search',
      registry,
      failureRateThreshold: 40,
      slowCallDurationThreshold: 800,
      slowCallRateThreshold: 60,
      minimumCalls: 20,
    });
    const row = dashboardBreaker(breaker);
    expect(row).toMatchObject({ name: 'search', state: 'closed', family: null });
    expect(row.thresholds).toEqual({
      failureThreshold: null, // a rate threshold replaces the consecutive-failure rule
      failureRateThreshold: 40,
      slowCallRateThreshold: 60,
      slowCallDurationThreshold: 800,
      minimumCalls: 20,
      openDuration: 30_000,
      halfOpenMaxCalls: 1,
      successThreshold: 1,
      window: { type: 'count', size: 100 },
    });
    expect(JSON.parse(JSON.stringify(row))).toEqual(row);
  });
});
