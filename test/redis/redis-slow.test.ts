// Redis that stops answering for a while (CLIENT PAUSE): breakers decide locally and the store catches up.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { BreakerRegistry, CircuitBreaker } from '@breakwater/core';
import { RedisStore } from '@breakwater/redis';
import { freePort, PrivateRedis, waitFor } from '@breakwater/test-support';

const enabled = process.env.BREAKWATER_REDIS === '1';

describe.skipIf(!enabled)('RedisStore when Redis is slow', () => {
  let redis: PrivateRedis;
  const clients: Redis[] = [];

  beforeAll(async () => {
    redis = new PrivateRedis(await freePort());
    await redis.start();
  });

  afterAll(async () => {
    for (const client of clients) client.disconnect();
    await redis?.stop();
  });

  it('serves every request at once during a stall, logs it once, and resyncs afterwards', async () => {
    const prefix = `bwslow:${Date.now()}:`;
    const make = () => {
      const client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
      client.on('error', () => undefined);
      clients.push(client);
      const errors: string[] = [];
      const store = new RedisStore({
        client,
        prefix,
        commandTimeout: 150,
        logger: { warn: () => undefined, error: (m) => void errors.push(m) },
      });
      const breaker = new CircuitBreaker({
        name: 'search',
        failureThreshold: 2,
        openDuration: 60_000,
        registry: new BreakerRegistry(),
        store,
      });
      return { store, breaker, errors };
    };
    const a = make();
    const b = make();
    await waitFor(() => a.store.connected && b.store.connected, 3000, 'both stores');

    const admin = new Redis(redis.url);
    clients.push(admin);
    await admin.call('CLIENT', 'PAUSE', '1500', 'ALL');

    // a trips while Redis stalls: its write times out; requests (synchronous) never wait for it.
    for (let i = 0; i < 2; i++) {
      const permit = a.breaker.tryAcquire();
      if (permit.admitted) permit.failure();
    }
    let answered = 0;
    for (let i = 0; i < 1000; i++) {
      const permit = (i % 2 === 0 ? a : b).breaker.tryAcquire();
      if (permit.admitted) permit.success();
      answered++;
    }
    expect(answered).toBe(1000);
    expect(a.breaker.state).toBe('open');

    await waitFor(() => a.store.stats.outages === 1, 2000, 'the timeout to count as an outage');
    await waitFor(() => b.breaker.state === 'open', 6000, 'b to learn of the trip after the stall');
    await waitFor(() => a.store.connected && b.store.connected, 3000, 'recovery');
    expect(a.errors).toHaveLength(1);
    expect(b.errors.length).toBeLessThanOrEqual(1);

    for (const r of [a, b]) {
      r.breaker.close();
      await r.store.close();
    }
  });
});
