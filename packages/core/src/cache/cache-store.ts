// The pluggable storage behind the fallback cache: plain, serialisable records by key.

/** A value, or a promise of it: stores may answer synchronously (memory) or not (Redis). */
export type MaybePromise<T> = T | Promise<T>;

/** One stored response, as plain data a store can serialise. */
export interface StoredResponse {
  /** The HTTP status. */
  readonly status: number;
  /** End-to-end headers, lower-case name → value (`string[]` for repeated fields). */
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  /** The body exactly as it was sent (compressed if it was sent compressed); empty for 204. */
  readonly body: Uint8Array;
  /** Wall-clock time it was stored (ms since the epoch). */
  readonly storedAt: number;
  /** Milliseconds after `storedAt` during which it may be served. */
  readonly serveLimit: number;
  /** The request header names its `Vary` listed: lower-case, sorted; empty without `Vary`. */
  readonly vary: readonly string[];
  /** The normalised values of those request headers it was stored for (see `variantOf`). */
  readonly variant: string;
}

/** Everything stored under one key: the variants (by `Vary`) of one resource, oldest first. */
export interface CacheRecord {
  readonly variants: readonly StoredResponse[];
}

/**
 * Where the fallback cache keeps its records. Small on purpose: a shared implementation (Redis)
 * stores a record as one value with a time to live. Methods may return a value or a promise; they
 * may throw or reject, which the cache treats as a miss (lookups) or a skipped store (writes).
 * Records handed to `set` are never mutated afterwards, and records returned by `get` are never
 * mutated by the cache.
 *
 * @example
 * const store: CacheStore = {
 *   get: (key) => map.get(key),
 *   set: (key, record) => void map.set(key, record),
 *   delete: (key) => void map.delete(key),
 * };
 */
export interface CacheStore {
  /** The record under `key`, or `undefined`. */
  get(key: string): MaybePromise<CacheRecord | undefined>;
  /** Stores `record` under `key`; it is of no use after `ttlMs` (a store may drop it then). */
  set(key: string, record: CacheRecord, ttlMs: number): MaybePromise<void>;
  /** Removes the record under `key` (every variant). */
  delete(key: string): MaybePromise<void>;
}
