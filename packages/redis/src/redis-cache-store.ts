// RedisCacheStore: the fallback response cache kept in Redis, so every replica can serve it.

import { consoleLogger, type CacheRecord, type CacheStore, type Logger } from '@breakwater/core';
import { invalidOption, warnOnce } from '@breakwater/core/adapter';
import { decodeCacheRecord, encodeCacheRecord } from './cache-codec.js';
import { cacheKeys } from './key-layout.js';
import { withTimeout } from './lua-script.js';
import type { RedisCacheClientLike } from './redis-client.js';
import { CACHE_DELETE, CACHE_SET } from './scripts.js';

/** Options of {@link RedisCacheStore}. */
export interface RedisCacheStoreOptions {
  /** An ioredis connection you own; the store never closes it. */
  client: RedisCacheClientLike;
  /** Prefix of every key. @defaultValue `'breakwater:'` */
  prefix?: string;
  /** Bytes all records may take together in Redis (encoded values plus keys). @defaultValue 52428800 (50 MiB) */
  maxBytes?: number;
  /** Milliseconds the store waits for Redis before treating a lookup as a miss. @defaultValue 250 */
  commandTimeout?: number;
  /** Where the first failure of a kind is logged. @defaultValue `console` */
  logger?: Logger;
  /**
   * Accounting shards: each has its own index and size table and `maxBytes / shards` bytes, and
   * all keys of one record live in its shard's hash slot. @defaultValue 1 on a single instance, 16
   * on an ioredis `Cluster` (so the cache spreads over the primaries)
   */
  shards?: number;
}

/** What a {@link RedisCacheStore} has done and suffered. */
export interface RedisCacheStoreStats {
  hits: number;
  misses: number;
  stored: number;
  /** Records refused for being larger than `maxBytes`. */
  tooLarge: number;
  /** Values under a cache key that could not be decoded (treated as misses). */
  malformed: number;
  /** Commands that failed or timed out. */
  errors: number;
}

/**
 * A {@link CacheStore} in Redis: each record is one binary value with a TTL (its serve limit), and
 * the total is kept under `maxBytes` by an atomic script that drops expired records, then those
 * expiring soonest. Lookups are one GET; a failing or slow Redis is a miss, never an error.
 *
 * @example
 * app.use(circuitBreaker({ cache: { store: new RedisCacheStore({ client }) } }));
 */
export class RedisCacheStore implements CacheStore {
  private readonly client: RedisCacheClientLike;
  private readonly prefix: string;
  private readonly maxBytes: number;
  private readonly shards: number;
  private readonly timeout: number;
  private readonly logger: Logger;
  private readonly counters: RedisCacheStoreStats = {
    hits: 0,
    misses: 0,
    stored: 0,
    tooLarge: 0,
    malformed: 0,
    errors: 0,
  };

  constructor(options: RedisCacheStoreOptions) {
    const client = options?.client as unknown;
    if (
      typeof client !== 'object' ||
      client === null ||
      typeof (client as RedisCacheClientLike).getBuffer !== 'function'
    )
      invalidOption('client', client, 'an ioredis connection');
    this.client = client as RedisCacheClientLike;
    this.prefix = options.prefix ?? 'breakwater:';
    if (typeof this.prefix !== 'string') invalidOption('prefix', this.prefix, 'a string');
    this.maxBytes = options.maxBytes ?? 50 * 1024 * 1024;
    if (!Number.isInteger(this.maxBytes) || this.maxBytes < 1)
      invalidOption('maxBytes', this.maxBytes, 'a whole number of bytes ≥ 1');
    this.timeout = options.commandTimeout ?? 250;
    if (!Number.isInteger(this.timeout) || this.timeout < 1)
      invalidOption('commandTimeout', this.timeout, 'a whole number of milliseconds ≥ 1');
    this.logger = options.logger ?? consoleLogger;
    const cluster = (client as RedisCacheClientLike).isCluster === true;
    this.shards = options.shards ?? (cluster ? 16 : 1);
    if (!Number.isInteger(this.shards) || this.shards < 1 || this.shards > 1024)
      invalidOption('shards', this.shards, 'a whole number from 1 to 1024');
    if (this.maxBytes < this.shards)
      invalidOption('maxBytes', this.maxBytes, `at least one byte per shard (${this.shards})`);
  }

  /** A copy of the store's counters. */
  get stats(): RedisCacheStoreStats {
    return { ...this.counters };
  }

  private failed(error: unknown): void {
    this.counters.errors++;
    warnOnce(
      this.logger,
      'BREAKWATER_REDIS_CACHE_ERROR',
      `RedisCacheStore: ${error instanceof Error ? error.message : String(error)}; cached fallbacks are skipped while Redis fails`,
    );
  }

  async get(key: string): Promise<CacheRecord | undefined> {
    let value: Buffer | null;
    try {
      value = await withTimeout(
        this.client.getBuffer(cacheKeys(this.prefix, key, this.shards).entry),
        this.timeout,
      );
    } catch (error) {
      this.failed(error);
      return undefined;
    }
    if (value === null) {
      this.counters.misses++;
      return undefined;
    }
    const record = decodeCacheRecord(value);
    if (record === undefined) {
      this.counters.malformed++;
      this.counters.misses++;
      return undefined;
    }
    this.counters.hits++;
    return record;
  }

  async set(key: string, record: CacheRecord, ttlMs: number): Promise<void> {
    const value = encodeCacheRecord(record);
    const ttl = Math.max(1, Math.ceil(ttlMs));
    const keys = cacheKeys(this.prefix, key, this.shards);
    try {
      const stored = await CACHE_SET.run(
        this.client,
        [keys.entry, keys.index, keys.sizes],
        [key, value, ttl, Date.now(), Math.floor(this.maxBytes / this.shards), keys.entryPrefix],
        this.timeout * 4,
      );
      if (stored === 1) this.counters.stored++;
      else this.counters.tooLarge++;
    } catch (error) {
      this.failed(error);
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    try {
      const keys = cacheKeys(this.prefix, key, this.shards);
      await CACHE_DELETE.run(
        this.client,
        [keys.entry, keys.index, keys.sizes],
        [key],
        this.timeout * 4,
      );
    } catch (error) {
      this.failed(error);
      throw error;
    }
  }
}
