// healthSnapshot() and healthResponse(): every breaker's state, counts, rates, reopen time and last transition.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CircuitBreaker } from '../circuit-breaker.js';
import { ManualClock } from '../clock.js';
import { defaultRegistry, BreakerRegistry } from '../registry.js';
import { healthResponse, healthSnapshot } from './health-snapshot.js';

afterEach(() => {
  vi.useRealTimers();
});

function fail(breaker: CircuitBreaker, times: number): void {
  for (let i = 0; i < times; i++) {
    const permit = breaker.tryAcquire();
    if (!permit.admitted) throw new Error('expected a permit');
    permit.failure();
  }
}

describe('healthSnapshot', () => {
  it('is ok with every breaker closed or disabled, and counts breakers per state', () => {
    const registry = new BreakerRegistry();
    new CircuitBreaker({ name: 'a', registry });
    new CircuitBreaker({ name: 'b', registry }).disable();
    const health = healthSnapshot(registry);
    expect(health.status).toBe('ok');
    expect(health.states).toEqual({
      closed: 1,
      open: 0,
      'half-open': 0,
      'forced-open': 0,
      disabled: 1,
    });
    expect(health.breakers.map((b) => [b.name, b.state])).toEqual([
      ['a', 'closed'],
      ['b', 'disabled'],
    ]);
  });

  it('reports an open breaker with counts, rates, reopen time and last transition, as JSON', () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 0, 1), toFake: ['Date'] });
    const clock = new ManualClock(0);
    const registry = new BreakerRegistry();
    const db = new CircuitBreaker({
      name: 'db',
      registry,
      clock,
      failureThreshold: 3,
      openDuration: 10_000,
    });
    const ok = db.tryAcquire();
    if (!ok.admitted) throw new Error('expected a permit');
    ok.success();
    fail(db, 3);
    clock.advance(4_000);
    vi.advanceTimersByTime(4_000);
    db.tryAcquire();

    const health = JSON.parse(JSON.stringify(healthSnapshot(registry)));
    const opened = Date.UTC(2026, 0, 1);
    expect(health).toMatchObject({
      status: 'degraded',
      at: opened + 4_000,
      states: { open: 1 },
      breakers: [
        {
          name: 'db',
          key: null,
          state: 'open',
          reopenAt: opened + 10_000,
          retryAfterMs: 6_000,
          window: { calls: 4, failures: 3, failureRate: 75 },
          totals: { success: 1, failure: 3, rejected: 1, timeout: 0, ignored: 0, slow: 0 },
          lastTransition: { from: 'closed', to: 'open', reason: 'failure-threshold', at: opened },
        },
      ],
    });
  });

  it('shows an open breaker whose open duration has passed as half-open', () => {
    const clock = new ManualClock(0);
    const registry = new BreakerRegistry();
    const db = new CircuitBreaker({
      name: 'db',
      registry,
      clock,
      failureThreshold: 1,
      openDuration: 1000,
    });
    fail(db, 1);
    clock.advance(1000);
    const health = healthSnapshot(registry);
    expect(health.status).toBe('degraded');
    expect(health.breakers[0]).toMatchObject({
      state: 'half-open',
      reopenAt: null,
      retryAfterMs: 0,
    });
  });

  it("defaults to core's default registry", () => {
    const breaker = new CircuitBreaker({ name: 'health-default-registry' });
    try {
      expect(healthSnapshot().breakers.map((b) => b.name)).toContain('health-default-registry');
      expect(healthSnapshot(defaultRegistry).breakers.length).toBe(defaultRegistry.size);
    } finally {
      breaker.close();
    }
  });
});

describe('healthResponse', () => {
  it('answers 200 with JSON that is never cached, even while breakers are open', () => {
    const registry = new BreakerRegistry();
    new CircuitBreaker({ name: 'db', registry }).forceOpen();
    const response = healthResponse(registry);
    expect(response.status).toBe(200);
    expect(response.headers).toEqual({
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
    });
    expect(response.body.status).toBe('degraded');
    expect(response.body.breakers[0]!.state).toBe('forced-open');
  });
});
