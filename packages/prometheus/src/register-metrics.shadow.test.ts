// registerMetrics(): a shadow breaker's would-rejects are their own outcome, rejections stay at 0.
import { BreakerRegistry, CircuitBreaker, ManualClock } from '@breakwater/core';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { readMetrics } from './read-metrics.testing.js';
import { registerMetrics } from './register-metrics.js';

describe('registerMetrics() with a shadow breaker', () => {
  it('counts would_reject apart from rejected', async () => {
    const registry = new BreakerRegistry();
    const register = new Registry();
    const metrics = registerMetrics(register, { registry });
    const breaker = new CircuitBreaker({
      name: 'api',
      registry,
      clock: new ManualClock(0),
      failureThreshold: 1,
      mode: 'shadow',
    });
    try {
      const first = breaker.tryAcquire();
      if (first.admitted) first.failure();
      for (let i = 0; i < 3; i++) {
        const permit = breaker.tryAcquire();
        if (permit.admitted) permit.success();
      }
      const m = readMetrics(await register.metrics());
      const calls = (outcome: string): number =>
        m.value('breakwater_calls_total', { breaker: 'api', outcome });
      expect(calls('would_reject')).toBe(3);
      expect(calls('rejected')).toBe(0);
      expect(calls('success')).toBe(3);
    } finally {
      breaker.close();
      metrics.dispose();
    }
  });
});
