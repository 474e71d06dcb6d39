// KeyedBreakers: any key gets a breaker; only closed breakers are evicted; a full family of open ones passes new keys unguarded.
import { describe, expect, it, vi } from 'vitest';
import { CircuitBreaker } from './circuit-breaker.js';
import { ManualClock } from './clock.js';
import { KeyedBreakers } from './keyed-breakers.js';
import type { BreakerOptions } from './options.js';
import { BreakerRegistry } from './registry.js';
import type { BreakerStore } from './store.js';

function setup(maxBreakers: number, options: Partial<BreakerOptions> = {}) {
  const clock = new ManualClock(0);
  const registry = new BreakerRegistry();
  const logger = { warn: vi.fn<(message: string) => void>(), error: vi.fn() };
  const keyed = new KeyedBreakers(
    { name: 'api', registry, clock, logger, failureThreshold: 1, openDuration: 1000, ...options },
    maxBreakers,
  );
  return { clock, registry, logger, keyed };
}

function trip(breaker: CircuitBreaker): void {
  const permit = breaker.tryAcquire();
  if (!permit.admitted) throw new Error('expected a permit');
  permit.failure();
}

describe('KeyedBreakers keys', () => {
  it('builds a working breaker for a 600-character key, named within the limit', () => {
    const { keyed, registry } = setup(10);
    const key = 'k'.repeat(600);
    const breaker = keyed.get(key);
    expect(breaker.key).toBe(key);
    expect(breaker.name.length).toBeLessThanOrEqual(512);
    expect(breaker.name).toMatch(/^api:k+~[0-9a-f]{16}$/);
    expect(registry.get(breaker.name)).toBe(breaker);
    expect(keyed.get(key)).toBe(breaker);
    trip(breaker);
    expect(keyed.get(key).state).toBe('open');
  });

  it('gives a key whose <name>:<key> is another breaker’s name a breaker of its own', () => {
    const { keyed, registry } = setup(10);
    const named = new CircuitBreaker({ registry, name: 'api:admin' });
    const breaker = keyed.get('admin');
    expect(breaker).not.toBe(named);
    expect(breaker.key).toBe('admin');
    expect(breaker.name).toMatch(/^api:admin~[0-9a-f]{16}$/);
    expect(registry.get('api:admin')).toBe(named);
    expect(registry.get(breaker.name)).toBe(breaker);
  });

  it('keeps a key apart from a longer key whose shortened name it spells out', () => {
    const { keyed } = setup(10);
    const long = keyed.get('x'.repeat(700));
    const impostor = keyed.get(long.name.slice('api:'.length));
    expect(impostor).not.toBe(long);
    expect(impostor.name).not.toBe(long.name);
  });

  it('accepts any characters', () => {
    const { keyed } = setup(10);
    for (const key of ['', ':', 'a\nb', '{slot}', '😀', '\u0000']) {
      expect(keyed.get(key).key).toBe(key);
    }
    expect(keyed.size).toBe(6);
  });

  it('hands out a pass-through breaker, logged once, when a breaker cannot be built', () => {
    const broken: BreakerStore = {
      attach() {
        throw new Error('store down');
      },
      detach() {},
    };
    const { keyed, logger, registry } = setup(10, {
      store: broken,
      registry: new BreakerRegistry(),
    });
    const first = keyed.get('a');
    keyed.get('b');
    expect(first.state).toBe('disabled');
    expect(first.key).toBe('a');
    expect(first.tryAcquire().admitted).toBe(true);
    expect(keyed.size).toBe(0);
    expect(registry.size).toBe(0);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0]![0]).toMatch(/ERR_BREAKWATER_KEYED_BREAKER_FAILED/);
  });

  it('reads inherited options and validates them at construction', () => {
    const registry = new BreakerRegistry();
    const keyed = new KeyedBreakers(
      Object.create({ name: 'inherited', registry, failureThreshold: 2 }) as BreakerOptions & {
        name: string;
      },
      5,
    );
    expect(keyed.get('a').config.failureThreshold).toBe(2);
    expect(keyed.get('a').name).toBe('inherited:a');
    expect(() => new KeyedBreakers({ name: 'x', openDuration: -1 }, 5)).toThrow(/"openDuration"/);
  });
});

describe('KeyedBreakers eviction', () => {
  it('never evicts an open breaker: with the cap full of open ones, a new key passes unguarded', () => {
    const { keyed, registry, logger } = setup(3);
    for (const key of ['a', 'b', 'c']) trip(keyed.get(key));
    const fresh = keyed.get('d');
    expect(fresh.state).toBe('disabled');
    expect(fresh.key).toBe('d');
    const permit = fresh.tryAcquire();
    expect(permit.admitted).toBe(true);
    if (permit.admitted) permit.failure(); // records nothing
    expect(fresh.state).toBe('disabled');
    expect(keyed.get('e').state).toBe('disabled');
    expect([...keyed.values()].map((b) => [b.key, b.state])).toEqual([
      ['a', 'open'],
      ['b', 'open'],
      ['c', 'open'],
    ]);
    expect(registry.size).toBe(3);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0]![0]).toMatch(/ERR_BREAKWATER_KEYED_FULL/);
  });

  it('never evicts a half-open, forced-open or disabled breaker either', () => {
    const { keyed, clock } = setup(3);
    trip(keyed.get('half'));
    clock.advance(1000);
    expect(keyed.get('half').state).toBe('half-open');
    keyed.get('forced').forceOpen();
    keyed.get('off').disable();
    expect(keyed.get('new').state).toBe('disabled');
    expect(keyed.peek('new')).toBeUndefined();
    expect(keyed.peek('half')?.state).toBe('half-open');
    expect(keyed.peek('forced')?.state).toBe('forced-open');
    expect(keyed.peek('off')?.state).toBe('disabled');
  });

  it('gives new keys breakers of their own again once a held breaker closes', () => {
    const { keyed, clock } = setup(2);
    trip(keyed.get('a'));
    trip(keyed.get('b'));
    expect(keyed.peek('c')).toBeUndefined();
    expect(keyed.get('c').state).toBe('disabled');
    clock.advance(1000);
    const probe = keyed.get('a').tryAcquire();
    if (!probe.admitted) throw new Error('expected a probe');
    probe.success();
    expect(keyed.peek('a')?.state).toBe('closed');
    const c = keyed.get('c');
    expect(c.state).toBe('closed');
    expect(keyed.peek('c')).toBe(c);
    expect(keyed.peek('a')).toBeUndefined(); // the one closed breaker made room
    expect(keyed.peek('b')?.state).toBe('half-open'); // kept: not closed yet
  });

  it('evicts an idle closed breaker before a busy one, and a reset breaker becomes evictable', () => {
    const { keyed } = setup(3);
    const busy = keyed.get('busy');
    busy.tryAcquire();
    keyed.get('idle');
    keyed.get('forced').forceOpen();
    keyed.get('n1');
    expect(keyed.peek('idle')).toBeUndefined();
    expect(keyed.peek('busy')).toBe(busy);
    keyed.peek('forced')!.reset();
    keyed.get('n2');
    keyed.get('n3');
    expect(keyed.size).toBe(3);
  });

  it('finds the one closed breaker behind many open ones, and stays bounded under a flood of keys', () => {
    const { keyed, registry } = setup(50);
    for (let i = 0; i < 49; i++) trip(keyed.get(`open-${i}`));
    keyed.get('closed');
    expect(keyed.get('new').state).toBe('closed');
    expect(keyed.peek('closed')).toBeUndefined();
    for (let i = 0; i < 500; i++) keyed.get(`flood-${i}`);
    expect(keyed.size).toBe(50);
    expect(registry.size).toBe(50);
    expect([...keyed.values()].filter((b) => b.state === 'open')).toHaveLength(49);
  });
});
