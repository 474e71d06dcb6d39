// Registries, shared breakers by name, keyed breakers and snapshots.
import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from './circuit-breaker.js';
import { ManualClock } from './clock.js';
import { KeyedBreakers } from './keyed-breakers.js';
import { BreakerRegistry, defaultRegistry } from './registry.js';

describe('BreakerRegistry', () => {
  it('every breaker joins the default registry unless told otherwise, and leaves on close', () => {
    const breaker = new CircuitBreaker({ name: 'joins-default' });
    expect(defaultRegistry.get('joins-default')).toBe(breaker);
    breaker.close();
    expect(defaultRegistry.get('joins-default')).toBeUndefined();
    const loner = new CircuitBreaker({ registry: false, name: 'loner' });
    expect(defaultRegistry.get(loner.name)).toBeUndefined();
  });

  it('obtain shares one breaker between same-named users', () => {
    const registry = new BreakerRegistry();
    const a = registry.obtain({ name: 'users-db', failureThreshold: 1 });
    const b = registry.obtain({ name: 'users-db', failureThreshold: 1 });
    expect(a).toBe(b);
    (a.tryAcquire() as { failure(): void }).failure();
    expect(b.state).toBe('open');
  });

  it('obtain refuses same-named breakers whose options disagree', () => {
    const registry = new BreakerRegistry();
    registry.obtain({ name: 'users-db', failureThreshold: 1 });
    expect(() => registry.obtain({ name: 'users-db', failureThreshold: 2 })).toThrow(TypeError);
  });

  it('constructing a second breaker with a taken name throws', () => {
    const registry = new BreakerRegistry();
    new CircuitBreaker({ registry, name: 'x' });
    expect(() => new CircuitBreaker({ registry, name: 'x' })).toThrow(/already exists/);
  });

  it('unnamed breakers are independent', () => {
    const registry = new BreakerRegistry();
    expect(registry.obtain({})).not.toBe(registry.obtain({}));
    expect(registry.size).toBe(2);
  });

  it('snapshot reports every breaker with state, counts, rates and reopen time', () => {
    const registry = new BreakerRegistry();
    const clock = new ManualClock();
    const breaker = new CircuitBreaker({
      registry,
      name: 'db',
      clock,
      failureThreshold: 2,
      openDuration: 5000,
    });
    (breaker.tryAcquire() as { success(): void }).success();
    (breaker.tryAcquire() as { failure(): void }).failure();
    (breaker.tryAcquire() as { failure(): void }).failure();
    breaker.tryAcquire();
    const snap = registry.snapshot();
    expect(snap.breakers).toHaveLength(1);
    expect(snap.breakers[0]).toMatchObject({
      name: 'db',
      state: 'open',
      retryAfterMs: 5000,
      window: { calls: 3, failures: 2 },
      totals: { success: 1, failure: 2, rejected: 1 },
      lastTransition: { from: 'closed', to: 'open', reason: 'failure-threshold' },
    });
    expect(snap.breakers[0]!.window.failureRate).toBeCloseTo(66.67, 1);
    expect(JSON.parse(JSON.stringify(snap))).toEqual(snap);
  });

  it('registry listeners hear every breaker', () => {
    const registry = new BreakerRegistry();
    const seen: string[] = [];
    registry.onStateChange((e) => seen.push(`${e.breaker}:${e.to}`));
    const a = new CircuitBreaker({ registry, name: 'a', failureThreshold: 1 });
    const b = new CircuitBreaker({ registry, name: 'b', failureThreshold: 1 });
    (a.tryAcquire() as { failure(): void }).failure();
    (b.tryAcquire() as { failure(): void }).failure();
    expect(seen).toEqual(['a:open', 'b:open']);
  });
});

describe('KeyedBreakers', () => {
  it('gives each key its own breaker named <name>:<key>', () => {
    const registry = new BreakerRegistry();
    const keyed = new KeyedBreakers({ registry, name: 'api', failureThreshold: 1 }, 10);
    (keyed.get('a').tryAcquire() as { failure(): void }).failure();
    expect(keyed.get('a').state).toBe('open');
    expect(keyed.get('b').state).toBe('closed');
    expect(keyed.get('a').name).toBe('api:a');
    expect(keyed.get('a').key).toBe('a');
    expect(registry.get('api:b')).toBe(keyed.get('b'));
  });

  it('never holds more than maxBreakers, and evicts idle closed breakers before open ones', () => {
    const registry = new BreakerRegistry();
    const keyed = new KeyedBreakers({ registry, name: 'api', failureThreshold: 1 }, 3);
    (keyed.get('open').tryAcquire() as { failure(): void }).failure();
    const busy = keyed.get('busy');
    busy.tryAcquire();
    keyed.get('idle');
    keyed.get('new');
    expect(keyed.size).toBe(3);
    expect(registry.get('api:idle')).toBeUndefined();
    expect(registry.get('api:open')?.state).toBe('open');
    expect(registry.get('api:busy')).toBe(busy);
    expect(registry.size).toBe(3);
    for (let i = 0; i < 1000; i++) keyed.get(`k${i}`);
    expect(keyed.size).toBe(3);
    expect(registry.size).toBe(3);
  });

  it('tells each breaker its family, in the breaker and its snapshot', () => {
    const registry = new BreakerRegistry();
    const keyed = new KeyedBreakers({ registry, name: 'tenant' }, 10);
    const plain = new CircuitBreaker({ registry, name: 'db' });
    expect(keyed.get('a').family).toBe('tenant');
    expect(keyed.get('a').snapshot()).toMatchObject({
      name: 'tenant:a',
      key: 'a',
      family: 'tenant',
    });
    expect(plain.family).toBeUndefined();
    expect(plain.snapshot().family).toBeNull();
  });

  it('announces each eviction on the registry before the breaker leaves, and never a close', () => {
    const registry = new BreakerRegistry();
    const keyed = new KeyedBreakers({ registry, name: 'tenant' }, 2);
    const seen: string[] = [];
    const evictions = registry.onEvict((b) =>
      seen.push(`evict ${b.name} ${registry.get(b.name) === b}`),
    );
    const removals = registry.onRemove((b) => seen.push(`remove ${b.name}`));
    keyed.get('a');
    keyed.get('b');
    keyed.get('c');
    expect(seen).toEqual(['evict tenant:a true', 'remove tenant:a']);
    keyed.close();
    expect(seen.filter((line) => line.startsWith('evict'))).toHaveLength(1);
    evictions.dispose();
    removals.dispose();
  });
});
