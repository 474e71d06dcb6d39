// @breakwater/redis: stores that share breaker state (and cached responses) across replicas through Redis.

export { LuaScript, RedisTimeoutError } from './lua-script.js';
export {
  parseRedisStoreOptions,
  type RedisStoreConfig,
  type RedisStoreOptions,
} from './options.js';
export { parseRecord, type StateRecord } from './record.js';
export { CLOCK_SKEW_MS } from './record-bounds.js';
export type {
  RedisArg,
  RedisCacheClientLike,
  RedisClientLike,
  RedisSubscriberLike,
} from './redis-client.js';
export { RedisStore } from './redis-store.js';
export type { RedisStoreStats } from './store-stats.js';
export { decodeCacheRecord, encodeCacheRecord } from './cache-codec.js';
export {
  RedisCacheStore,
  type RedisCacheStoreOptions,
  type RedisCacheStoreStats,
} from './redis-cache-store.js';
export { RedisAdminSync, type AdminRecord, type RedisAdminSyncOptions } from './admin-sync.js';
