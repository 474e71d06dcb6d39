// execute(): the promise API built on permits.
import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from './circuit-breaker.js';
import { ManualClock } from './clock.js';
import { isBrokenCircuitError, isCallTimeoutError } from './errors.js';

describe('execute', () => {
  it('returns the function result and records a success', async () => {
    const breaker = new CircuitBreaker({ registry: false });
    await expect(breaker.execute(async () => 42)).resolves.toBe(42);
    expect(breaker.snapshot().totals.success).toBe(1);
  });

  it('rethrows the function error and records a failure', async () => {
    const breaker = new CircuitBreaker({ registry: false, failureThreshold: 1 });
    await expect(
      breaker.execute(() => {
        throw new Error('down');
      }),
    ).rejects.toThrow('down');
    expect(breaker.state).toBe('open');
  });

  it('rejects with a BrokenCircuitError without calling the function while open', async () => {
    const breaker = new CircuitBreaker({ registry: false, failureThreshold: 1, name: 'db' });
    await breaker.execute(() => Promise.reject(new Error('x'))).catch(() => {});
    let called = false;
    const error = await breaker
      .execute(() => {
        called = true;
      })
      .catch((e: unknown) => e);
    expect(called).toBe(false);
    expect(isBrokenCircuitError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'ERR_BREAKWATER_OPEN', breaker: 'db', state: 'open' });
  });

  it('rejects with a CallTimeoutError and aborts the signal when timeout expires', async () => {
    const clock = new ManualClock();
    const breaker = new CircuitBreaker({
      registry: false,
      clock,
      timeout: 50,
      failureThreshold: 1,
    });
    let signal: AbortSignal | undefined;
    const pending = breaker.execute((s) => {
      signal = s;
      return new Promise(() => {});
    });
    clock.advance(50);
    const error = await pending.catch((e: unknown) => e);
    expect(isCallTimeoutError(error)).toBe(true);
    expect(signal?.aborted).toBe(true);
    expect(breaker.state).toBe('open');
  });

  it('type guards recognise errors by marker, not by class identity', () => {
    const foreign = Object.assign(new Error('x'), { code: 'ERR_BREAKWATER_OPEN' });
    expect(isBrokenCircuitError(foreign)).toBe(false);
    expect(
      isBrokenCircuitError({ code: 'ERR_BREAKWATER_OPEN', [Symbol.for('breakwater.error')]: true }),
    ).toBe(true);
  });
});
