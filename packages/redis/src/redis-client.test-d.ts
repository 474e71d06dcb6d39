// Type tests: ioredis's Redis and Cluster are accepted wherever the stores take a client.

import type { Cluster, Redis } from 'ioredis';
import { expectTypeOf, test } from 'vitest';
import type { RedisCacheStoreOptions } from './redis-cache-store.js';
import type { RedisCacheClientLike, RedisClientLike } from './redis-client.js';
import type { RedisStoreOptions } from './options.js';

test('a Redis connection is a client of both stores', () => {
  expectTypeOf<Redis>().toExtend<RedisClientLike>();
  expectTypeOf<Redis>().toExtend<RedisCacheClientLike>();
  expectTypeOf<Redis>().toExtend<RedisStoreOptions['client']>();
  expectTypeOf<Redis>().toExtend<RedisCacheStoreOptions['client']>();
});

test('a Cluster is a client of both stores', () => {
  expectTypeOf<Cluster>().toExtend<RedisClientLike>();
  expectTypeOf<Cluster>().toExtend<RedisCacheClientLike>();
  expectTypeOf<Cluster>().toExtend<RedisStoreOptions['client']>();
  expectTypeOf<Cluster>().toExtend<RedisCacheStoreOptions['client']>();
});

test('something without the commands is not', () => {
  expectTypeOf<{ status: string }>().not.toExtend<RedisClientLike>();
  expectTypeOf<{ get(key: string): Promise<string> }>().not.toExtend<RedisCacheClientLike>();
});
