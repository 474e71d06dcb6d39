// Behaviour of the `cache` option parser: defaults and TypeErrors that name the option.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CACHE_STATUSES, parseCacheOptions } from './cache-options.js';
import { MemoryCacheStore } from './memory-cache-store.js';

describe('parseCacheOptions', () => {
  it('is off for false and undefined', () => {
    expect(parseCacheOptions(undefined)).toBeUndefined();
    expect(parseCacheOptions(false)).toBeUndefined();
  });

  it('applies every default for true', () => {
    const config = parseCacheOptions(true)!;
    expect(config).toMatchObject({
      maxEntries: 1000,
      maxBytes: 50 * 1024 * 1024,
      maxStale: 300_000,
      maxBodyBytes: 1024 * 1024,
      allowAuthorized: false,
      staleIfError: false,
      key: undefined,
      now: Date.now,
    });
    expect([...config.methods]).toEqual(['GET', 'HEAD']);
    expect([...config.statuses]).toEqual(DEFAULT_CACHE_STATUSES);
    expect(config.store).toBeInstanceOf(MemoryCacheStore);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('takes valid options and upper-cases methods', () => {
    const store = { get: () => undefined, set: () => undefined, delete: () => undefined };
    const config = parseCacheOptions({
      maxStale: 1000,
      methods: ['get'],
      statuses: [200, 302],
      allowAuthorized: true,
      staleIfError: true,
      store,
    })!;
    expect([...config.methods]).toEqual(['GET']);
    expect([...config.statuses]).toEqual([200, 302]);
    expect(config.store).toBe(store);
    expect(config.allowAuthorized && config.staleIfError).toBe(true);
  });

  it('caps the default maxBodyBytes at a small maxBytes', () => {
    expect(parseCacheOptions({ maxBytes: 4096 })!.maxBodyBytes).toBe(4096);
  });

  it.each([
    [{ maxEntries: 0 }, 'cache.maxEntries'],
    [{ maxEntries: 1.5 }, 'cache.maxEntries'],
    [{ maxBytes: '1mb' }, 'cache.maxBytes'],
    [{ maxStale: -1 }, 'cache.maxStale'],
    [{ maxStale: Infinity }, 'cache.maxStale'],
    [{ maxBodyBytes: 10, maxBytes: 2048, extra: 1 }, 'unknown option "extra"'],
    [{ maxBodyBytes: 4096, maxBytes: 2048 }, 'cache.maxBodyBytes'],
    [{ methods: [] }, 'cache.methods'],
    [{ methods: ['HEAD'] }, 'cache.methods'],
    [{ methods: ['GET', 'POST'] }, 'cache.methods'],
    [{ statuses: [206] }, 'cache.statuses'],
    [{ statuses: [304] }, 'cache.statuses'],
    [{ statuses: [500] }, 'cache.statuses'],
    [{ statuses: '200' }, 'cache.statuses'],
    [{ key: 'url' }, 'cache.key'],
    [{ allowAuthorized: 'yes' }, 'cache.allowAuthorized'],
    [{ staleIfError: 1 }, 'cache.staleIfError'],
    [{ store: {} }, 'cache.store'],
    [{ now: 5 }, 'cache.now'],
  ])('rejects %j naming %s', (options, name) => {
    expect(() => parseCacheOptions(options as never)).toThrow(TypeError);
    expect(() => parseCacheOptions(options as never)).toThrow(name);
  });

  it('rejects a cache option that is not an object or boolean', () => {
    expect(() => parseCacheOptions('yes' as never)).toThrow(/option "cache"/);
    expect(() => parseCacheOptions(null as never)).toThrow(/option "cache"/);
  });
});
