// RedisCacheStore against the real Redis: shared records, TTLs, the byte bound, garbage and outages.

import { afterEach, describe, expect, it } from 'vitest';
import type { CacheRecord } from '@breakwater/core';
import { encodeCacheRecord } from './cache-codec.js';
import { RedisCacheStore } from './redis-cache-store.js';
import { connect, recordingLogger, redisEnabled, uniquePrefix } from '@breakwater/test-support';

function recordOf(bytes: number, storedAt = Date.now()): CacheRecord {
  return {
    variants: [
      {
        status: 200,
        headers: { 'content-type': 'text/plain' },
        body: new Uint8Array(bytes).fill(97),
        storedAt,
        serveLimit: 60_000,
        vary: [],
        variant: '',
      },
    ],
  };
}

describe.skipIf(!redisEnabled)('RedisCacheStore (real Redis)', () => {
  const clients: ReturnType<typeof connect>[] = [];
  const client = () => {
    const c = connect();
    clients.push(c);
    return c;
  };
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.quit()));
  });

  it('serves a record stored by one replica to another', async () => {
    const prefix = uniquePrefix();
    const one = new RedisCacheStore({ client: client(), prefix });
    const two = new RedisCacheStore({ client: client(), prefix });
    const record = recordOf(1000);
    await one.set('GET /users/1', record, 60_000);
    expect(await two.get('GET /users/1')).toEqual(record);
    expect(await two.get('GET /users/2')).toBeUndefined();
    expect(two.stats).toMatchObject({ hits: 1, misses: 1 });
  });

  it('gives each entry its TTL in Redis', async () => {
    const prefix = uniquePrefix();
    const c = client();
    const store = new RedisCacheStore({ client: c, prefix });
    await store.set('k', recordOf(10), 5000);
    const ttl = await c.pttl(`${prefix}cache:k`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(5000);
  });

  it('keeps the total under maxBytes by dropping the records that expire soonest', async () => {
    const prefix = uniquePrefix();
    const c = client();
    const store = new RedisCacheStore({ client: c, prefix, maxBytes: 5000 });
    await store.set('soon', recordOf(1500), 10_000);
    await store.set('late', recordOf(1500), 50_000);
    await store.set('middle', recordOf(1500), 30_000);
    await store.set('new', recordOf(1500), 40_000);
    expect(await store.get('soon')).toBeUndefined();
    expect(await store.get('late')).toBeDefined();
    expect(await store.get('middle')).toBeDefined();
    expect(await store.get('new')).toBeDefined();
    const total = Number(await c.hget(`${prefix}cache-sizes`, '\0total'));
    expect(total).toBeLessThanOrEqual(5000);
    expect(total).toBeGreaterThan(4000);
  });

  it('refuses a record larger than maxBytes and replaces a record in place', async () => {
    const prefix = uniquePrefix();
    const c = client();
    const store = new RedisCacheStore({ client: c, prefix, maxBytes: 3000 });
    await store.set('big', recordOf(4000), 10_000);
    expect(await store.get('big')).toBeUndefined();
    expect(store.stats.tooLarge).toBe(1);
    await store.set('k', recordOf(1000), 10_000);
    await store.set('k', recordOf(1200), 10_000);
    expect((await store.get('k'))!.variants[0]!.body.byteLength).toBe(1200);
    const size = encodeCacheRecord(recordOf(1200)).length + 1;
    expect(Number(await c.hget(`${prefix}cache-sizes`, '\0total'))).toBe(size);
  });

  it('deletes a record and its accounting', async () => {
    const prefix = uniquePrefix();
    const c = client();
    const store = new RedisCacheStore({ client: c, prefix });
    await store.set('k', recordOf(100), 10_000);
    await store.delete('k');
    expect(await store.get('k')).toBeUndefined();
    expect(Number(await c.hget(`${prefix}cache-sizes`, '\0total'))).toBe(0);
  });

  it('treats garbage under a key as a miss', async () => {
    const prefix = uniquePrefix();
    const c = client();
    const store = new RedisCacheStore({ client: c, prefix });
    await c.set(`${prefix}cache:k`, 'not a record', 'PX', 10_000);
    expect(await store.get('k')).toBeUndefined();
    expect(store.stats.malformed).toBe(1);
  });

  it('answers a miss, never an error, when Redis is unreachable, and logs it once', async () => {
    const logger = recordingLogger();
    const down = connect('redis://127.0.0.1:1', {
      retryStrategy: () => 100,
      enableOfflineQueue: false,
    });
    const store = new RedisCacheStore({ client: down, prefix: uniquePrefix(), logger });
    for (let i = 0; i < 5; i++) expect(await store.get('k')).toBeUndefined();
    await expect(store.set('k', recordOf(10), 1000)).rejects.toThrow();
    expect(store.stats.errors).toBe(6);
    expect(logger.warnings).toHaveLength(1);
    down.disconnect();
  });

  it('keeps each record with its shard’s index and size table when sharded (the cluster layout)', async () => {
    const c = client();
    const prefix = uniquePrefix();
    const store = new RedisCacheStore({ client: c, prefix, shards: 4, maxBytes: 40_000 });
    for (let i = 0; i < 12; i++) await store.set(`GET /p/${i}`, recordOf(100), 10_000);
    for (let i = 0; i < 12; i++) expect(await store.get(`GET /p/${i}`)).toBeDefined();
    const indexes = await c.keys(`${prefix}cache-index:*`);
    expect(indexes.length).toBeGreaterThan(1);
    let total = 0;
    for (const index of indexes) total += await c.zcard(index);
    expect(total).toBe(12);
    expect(await c.exists(`${prefix}cache-index`)).toBe(0);
  });
});

describe('RedisCacheStore options', () => {
  const c = { getBuffer: () => undefined, evalsha: () => undefined, eval: () => undefined };

  it.each([
    [{ shards: 0 }, 'shards'],
    [{ shards: 1.5 }, 'shards'],
    [{ shards: 2000 }, 'shards'],
    [{ shards: 8, maxBytes: 4 }, 'maxBytes'],
  ])('rejects %o naming %s', (options, name) => {
    expect(() => new RedisCacheStore({ client: c as never, ...options })).toThrow(TypeError);
    expect(() => new RedisCacheStore({ client: c as never, ...options })).toThrow(name);
  });
});
