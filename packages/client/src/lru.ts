// A small least-recently-used map on top of Map's insertion order.

/** A `Map` bounded to `max` entries; reading or writing an entry makes it the most recent. */
export class LruMap<K, V> {
  private readonly map = new Map<K, V>();

  constructor(
    /** The most entries kept; the least recently used one is dropped past it. */
    readonly max: number,
    private readonly onEvict?: (key: K, value: V) => void,
  ) {}

  /** Entries held now. */
  get size(): number {
    return this.map.size;
  }

  /** The value for `key`, marking it most recently used. */
  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value === undefined) return undefined;
    this.map.delete(key);
    this.map.set(key, value);
    return value;
  }

  /** The value for `key` without touching its recency. */
  peek(key: K): V | undefined {
    return this.map.get(key);
  }

  /** Stores `value` as the most recently used entry, evicting the oldest when full. */
  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.max) {
      const oldest = this.map.keys().next();
      if (oldest.done) break;
      const evicted = this.map.get(oldest.value) as V;
      this.map.delete(oldest.value);
      this.onEvict?.(oldest.value, evicted);
    }
  }

  /** Removes `key`; answers whether it was there. */
  delete(key: K): boolean {
    return this.map.delete(key);
  }

  /** Removes every entry. */
  clear(): void {
    this.map.clear();
  }

  /** The keys, least recent first. */
  keys(): IterableIterator<K> {
    return this.map.keys();
  }
}
