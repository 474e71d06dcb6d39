// Two replicas' response caches sharing RedisCacheStore: what one stored, the other serves while open.

import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { ResponseCache } from '@breakwater/core';
import { RedisCacheStore } from '@breakwater/redis';

const enabled = process.env.BREAKWATER_REDIS === '1';
const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe.skipIf(!enabled)('ResponseCache over RedisCacheStore', () => {
  const clients: Redis[] = [];
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.quit()));
  });

  function replica(prefix: string): { cache: ResponseCache; store: RedisCacheStore } {
    const client = new Redis(url, { maxRetriesPerRequest: 1 });
    client.on('error', () => undefined);
    clients.push(client);
    const store = new RedisCacheStore({ client, prefix });
    return { cache: new ResponseCache({ store }), store };
  }

  it('serves a fresh replica the response another replica stored, with Vary respected', async () => {
    const prefix = `bwcache:${Date.now()}:`;
    const a = replica(prefix);
    const b = replica(prefix);
    const request = { method: 'GET', url: '/items?page=2', headers: { 'accept-language': 'fr' } };

    const ticket = a.cache.admit(request)!;
    const capture = a.cache.capture(ticket, 200, {
      'content-type': 'application/json',
      vary: 'Accept-Language',
    })!;
    capture.write('{"items":');
    capture.write('[1,2,3]}');
    expect(await capture.end()).toBe(true);
    expect(a.store.stats.stored).toBe(1);

    const reply = await b.cache.lookup(request);
    expect(reply?.status).toBe(200);
    expect(reply?.body?.toString()).toBe('{"items":[1,2,3]}');
    expect(String(reply?.headers['cache-status'])).toContain('hit');

    const otherLanguage = { ...request, headers: { 'accept-language': 'de' } };
    expect(await b.cache.lookup(otherLanguage)).toBeUndefined();
    expect(await b.cache.lookup({ ...request, url: '/items?page=3' })).toBeUndefined();
  });
});
