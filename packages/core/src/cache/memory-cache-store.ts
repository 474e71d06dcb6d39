// The default fallback-cache store: an in-process lru-cache bounded by entries and by bytes.

import { LRUCache } from 'lru-cache';
import type { CacheRecord, CacheStore } from './cache-store.js';

/** Bytes counted for each record and each variant on top of its body and headers. */
const OVERHEAD = 256;

/** Options of {@link MemoryCacheStore}. */
export interface MemoryCacheStoreOptions {
  /** Records (URLs) kept. @defaultValue 1000 */
  maxEntries?: number;
  /** Bytes kept, counting bodies, headers and keys. @defaultValue 52428800 (50 MiB) */
  maxBytes?: number;
}

/** An approximation of the memory a record holds: body bytes, header and key characters, overhead. */
export function recordSize(key: string, record: CacheRecord): number {
  let size = OVERHEAD + key.length * 2;
  for (const variant of record.variants) {
    size += OVERHEAD + variant.body.byteLength + variant.variant.length * 2;
    for (const name in variant.headers) {
      const value = variant.headers[name]!;
      size += name.length * 2;
      if (typeof value === 'string') size += value.length * 2;
      else for (const item of value) size += item.length * 2;
    }
  }
  return size;
}

/**
 * Keeps records in memory, least recently used evicted first once `maxEntries` or `maxBytes`
 * would be exceeded; a record larger than `maxBytes` is not kept. Synchronous, so lookups need
 * no promise.
 */
export class MemoryCacheStore implements CacheStore {
  private readonly lru: LRUCache<string, CacheRecord>;

  constructor(options: MemoryCacheStoreOptions = {}) {
    this.lru = new LRUCache<string, CacheRecord>({
      max: options.maxEntries ?? 1000,
      maxSize: options.maxBytes ?? 50 * 1024 * 1024,
      sizeCalculation: (record, key) => recordSize(key, record),
    });
  }

  get(key: string): CacheRecord | undefined {
    return this.lru.get(key);
  }

  set(key: string, record: CacheRecord, ttlMs: number): void {
    this.lru.set(key, record, { ttl: Math.max(1, Math.ceil(ttlMs)) });
  }

  delete(key: string): void {
    this.lru.delete(key);
  }

  /** Records kept. */
  get size(): number {
    return this.lru.size;
  }

  /** Bytes accounted for (see {@link recordSize}). */
  get calculatedSize(): number {
    return this.lru.calculatedSize;
  }

  /** Drops every record. */
  clear(): void {
    this.lru.clear();
  }
}
