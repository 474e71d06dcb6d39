// Behaviour of the default in-memory store: bounded by records and by bytes.
import { describe, expect, it } from 'vitest';
import type { CacheRecord } from './cache-store.js';
import { MemoryCacheStore, recordSize } from './memory-cache-store.js';

function record(bodyBytes: number): CacheRecord {
  return {
    variants: [
      {
        status: 200,
        headers: { 'content-type': 'application/octet-stream' },
        body: new Uint8Array(bodyBytes),
        storedAt: 0,
        serveLimit: 60_000,
        vary: [],
        variant: '',
      },
    ],
  };
}

describe('MemoryCacheStore', () => {
  it('gets, sets and deletes records', () => {
    const store = new MemoryCacheStore();
    const r = record(3);
    store.set('/a', r, 1000);
    expect(store.get('/a')).toBe(r);
    store.delete('/a');
    expect(store.get('/a')).toBeUndefined();
  });

  it('evicts the least recently used record past maxEntries', () => {
    const store = new MemoryCacheStore({ maxEntries: 2 });
    store.set('/a', record(1), 60_000);
    store.set('/b', record(1), 60_000);
    store.get('/a');
    store.set('/c', record(1), 60_000);
    expect(store.get('/b')).toBeUndefined();
    expect(store.get('/a')).toBeDefined();
    expect(store.get('/c')).toBeDefined();
    expect(store.size).toBe(2);
  });

  it('evicts by bytes and never holds more than maxBytes', () => {
    const store = new MemoryCacheStore({ maxBytes: 10_000 });
    for (let i = 0; i < 10; i++) store.set(`/r${i}`, record(3000), 60_000);
    expect(store.calculatedSize).toBeLessThanOrEqual(10_000);
    expect(store.size).toBeLessThanOrEqual(3);
    expect(store.get('/r9')).toBeDefined();
  });

  it('does not keep a record larger than maxBytes', () => {
    const store = new MemoryCacheStore({ maxBytes: 2000 });
    store.set('/big', record(5000), 60_000);
    expect(store.get('/big')).toBeUndefined();
  });

  it('counts body, header and key sizes', () => {
    expect(recordSize('/k', record(1000))).toBeGreaterThan(1000);
    expect(recordSize('/k', record(2000)) - recordSize('/k', record(1000))).toBe(1000);
  });
});
