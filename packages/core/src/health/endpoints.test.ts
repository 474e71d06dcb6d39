// Prepared health and readiness endpoints: options checked once, a fresh answer per call.
import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../circuit-breaker.js';
import { BreakerRegistry } from '../registry.js';
import { healthEndpoint, readinessEndpoint } from './endpoints.js';

describe('health endpoints', () => {
  it('answer from the registry as it is at each call', () => {
    const registry = new BreakerRegistry();
    const health = healthEndpoint({ registry });
    const ready = readinessEndpoint({ registry, critical: ['db'] });
    const db = new CircuitBreaker({ registry, name: 'db', failureThreshold: 1 });
    expect(ready().status).toBe(200);
    const permit = db.tryAcquire();
    if (permit.admitted) permit.failure();
    expect(ready().status).toBe(503);
    expect(health().status).toBe(200);
    expect(JSON.stringify(health().body)).toContain('"db"');
  });

  it('reject a bad critical option when prepared, not per request', () => {
    expect(() => readinessEndpoint({ critical: 42 as never })).toThrow(TypeError);
  });
});
