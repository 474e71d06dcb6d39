// Where a store's keys and channels live: the single-instance layout, and the Redis Cluster one with `{name}` hash tags.

import { createHash } from 'node:crypto';

/**
 * The hash tag of breaker `name` in Redis Cluster key names: the name itself, or, when the name
 * holds a `{` or `}` (which would end or move the tag), a digest of it. Every key and the channel of
 * one breaker carry the same tag, so they hash to one slot.
 */
export function hashTag(name: string): string {
  if (!name.includes('{') && !name.includes('}')) return name;
  return `#${createHash('sha1').update(name).digest('hex').slice(0, 16)}`;
}

/** The key and channel names of a {@link RedisStore}, per breaker. */
export interface StoreLayout {
  /** Whether it is the Redis Cluster layout (hash-tagged keys, one sharded channel per breaker). */
  readonly cluster: boolean;
  /** The key holding breaker `name`'s state record. */
  state(name: string): string;
  /** The prefix of breaker `name`'s count buckets (the bucket index is appended). */
  counts(name: string): string;
  /** The probe lease key of breaker `name`'s open round `round`. */
  probe(name: string, round: number): string;
  /** The channel breaker `name`'s records are published on. */
  channel(name: string): string;
}

/**
 * The layout of a store with key prefix `prefix`. On a single instance (`cluster` false): keys
 * `<prefix>state:<name>`, `<prefix>counts:<name>:<i>`, `<prefix>probe:<name>:<round>` and one
 * classic channel `<prefix>state` for every breaker. On Redis Cluster: `<prefix>state:{<name>}`,
 * `<prefix>counts:{<name>}:<i>`, `<prefix>probe:{<name>}:<round>` and the sharded channel
 * `<prefix>channel:{<name>}`, all in the slot of `{<name>}`.
 */
export function storeLayout(prefix: string, cluster: boolean): StoreLayout {
  if (!cluster) {
    const channel = `${prefix}state`;
    return {
      cluster,
      state: (name) => `${prefix}state:${name}`,
      counts: (name) => `${prefix}counts:${name}:`,
      probe: (name, round) => `${prefix}probe:${name}:${round}`,
      channel: () => channel,
    };
  }
  return {
    cluster,
    state: (name) => `${prefix}state:{${hashTag(name)}}`,
    counts: (name) => `${prefix}counts:{${hashTag(name)}}:`,
    probe: (name, round) => `${prefix}probe:{${hashTag(name)}}:${round}`,
    channel: (name) => `${prefix}channel:{${hashTag(name)}}`,
  };
}

/** The three keys a cache record touches: its value, and its shard's expiry index and size table. */
export interface CacheKeys {
  readonly entry: string;
  readonly index: string;
  readonly sizes: string;
  /** What the entry key of another member of the same shard starts with. */
  readonly entryPrefix: string;
}

/** FNV-1a over the UTF-16 code units of `text`: a cheap, stable spread of cache keys over shards. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * The keys of cache record `key`. With one shard (a single instance): `<prefix>cache:<key>`,
 * `<prefix>cache-index`, `<prefix>cache-sizes`. With several (Redis Cluster), the key's shard `s`
 * (a hash of the key) has its own index and size table, and all three keys carry the hash tag
 * `{bwc-<s>}`: `<prefix>cache:{bwc-<s>}:<key>`, `<prefix>cache-index:{bwc-<s>}`,
 * `<prefix>cache-sizes:{bwc-<s>}`. Each record's script touches one slot; the shards spread over
 * the nodes.
 */
export function cacheKeys(prefix: string, key: string, shards: number): CacheKeys {
  if (shards <= 1) {
    return {
      entry: `${prefix}cache:${key}`,
      index: `${prefix}cache-index`,
      sizes: `${prefix}cache-sizes`,
      entryPrefix: `${prefix}cache:`,
    };
  }
  const tag = `{bwc-${fnv1a(key) % shards}}`;
  return {
    entry: `${prefix}cache:${tag}:${key}`,
    index: `${prefix}cache-index:${tag}`,
    sizes: `${prefix}cache-sizes:${tag}`,
    entryPrefix: `${prefix}cache:${tag}:`,
  };
}
