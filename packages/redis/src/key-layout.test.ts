// Key layouts: the single-instance names unchanged, the cluster names hash-tagged so one breaker is one slot.

import { describe, expect, it } from 'vitest';
import { cacheKeys, hashTag, storeLayout } from './key-layout.js';

/** The part of a key Redis Cluster hashes: the first `{…}` with something inside, else the key. */
function hashedPart(key: string): string {
  const open = key.indexOf('{');
  if (open === -1) return key;
  const close = key.indexOf('}', open + 1);
  if (close === -1 || close === open + 1) return key;
  return key.slice(open + 1, close);
}

describe('storeLayout', () => {
  it('keeps the single-instance key names and one channel for every breaker', () => {
    const layout = storeLayout('bw:', false);
    expect(layout.state('orders')).toBe('bw:state:orders');
    expect(layout.counts('orders')).toBe('bw:counts:orders:');
    expect(layout.probe('orders', 17)).toBe('bw:probe:orders:17');
    expect(layout.channel('orders')).toBe('bw:state');
    expect(layout.channel('users')).toBe('bw:state');
  });

  it('puts every key and the channel of a breaker under one hash tag on a cluster', () => {
    const layout = storeLayout('bw:', true);
    for (const name of ['orders', 'GET /users/:id', 'a{b}c', '}x', '{', 'x}', 'ü{}']) {
      const names = [
        layout.state(name),
        `${layout.counts(name)}42`,
        layout.probe(name, 1_700_000_000_000),
        layout.channel(name),
      ];
      const parts = new Set(names.map(hashedPart));
      expect(parts.size, name).toBe(1);
      expect([...parts][0]).toBe(hashTag(name));
    }
    expect(layout.state('orders')).toBe('bw:state:{orders}');
    expect(layout.channel('orders')).toBe('bw:channel:{orders}');
  });

  it('gives names that differ only in braces different tags', () => {
    expect(hashTag('a{b}')).not.toBe(hashTag('a{c}'));
    expect(hashTag('a{b}')).toMatch(/^#[0-9a-f]{16}$/);
    expect(hashTag('plain')).toBe('plain');
  });
});

describe('cacheKeys', () => {
  it('keeps the single-instance cache key names with one shard', () => {
    expect(cacheKeys('bw:', 'GET /a', 1)).toEqual({
      entry: 'bw:cache:GET /a',
      index: 'bw:cache-index',
      sizes: 'bw:cache-sizes',
      entryPrefix: 'bw:cache:',
    });
  });

  it('keeps the three keys of a record in one slot and spreads records over the shards', () => {
    const shards = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const keys = cacheKeys('bw:', `GET /items?page=${i}`, 16);
      const parts = new Set([keys.entry, keys.index, keys.sizes].map(hashedPart));
      expect(parts.size).toBe(1);
      expect(keys.entry.startsWith(keys.entryPrefix)).toBe(true);
      shards.add([...parts][0]!);
    }
    expect(shards.size).toBe(16);
  });
});
