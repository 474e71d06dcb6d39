// Hostile state records in Redis: a far-future reopen time or version must not wedge or deafen a fleet.

import { BreakerRegistry, CircuitBreaker } from '@breakwater/core';
import { RedisStore } from '@breakwater/redis';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';

const enabled = process.env.BREAKWATER_REDIS === '1';
const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const NAME = 'hostile-records';

async function waitFor(condition: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!condition() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  return condition();
}

describe.skipIf(!enabled)('RedisStore against hostile state records', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function replica(prefix: string): Promise<{ breaker: CircuitBreaker; store: RedisStore }> {
    const client = new Redis(url, { maxRetriesPerRequest: 1 });
    client.on('error', () => undefined);
    const store = new RedisStore({ client, prefix, logger: { warn: () => {}, error: () => {} } });
    const breaker = new CircuitBreaker({
      name: NAME,
      registry: new BreakerRegistry(),
      store,
      failureThreshold: 1,
      openDuration: 200,
      maxOpenDuration: 400,
    });
    cleanup.push(async () => {
      breaker.close();
      await store.close();
      client.disconnect();
    });
    await waitFor(() => store.connected, 2000);
    return { breaker, store };
  }

  async function admin(): Promise<Redis> {
    const client = new Redis(url, { maxRetriesPerRequest: 1 });
    cleanup.push(() => void client.disconnect());
    return client;
  }

  const prefix = () => `bw-hostile-${Math.random().toString(36).slice(2, 8)}:`;

  it('ignores a published record whose reopen time is further away than any open duration allows', async () => {
    const p = prefix();
    const { breaker, store } = await replica(p);
    const redis = await admin();
    const now = Date.now();
    const record = JSON.stringify({ n: NAME, s: 'open', r: now + 1e12, v: now + 1, o: 'x' });
    await redis.publish(store.channel, record);
    expect(await waitFor(() => store.stats.malformed >= 1, 1000)).toBe(true);
    expect(breaker.state).toBe('closed');
  });

  it('ignores, then overwrites, a state key whose reopen time is further away than any open duration allows', async () => {
    const p = prefix();
    const redis = await admin();
    const now = Date.now();
    await redis.set(
      `${p}state:${NAME}`,
      JSON.stringify({ n: NAME, s: 'open', r: now + 1e12, v: now + 1, o: 'x' }),
      'PX',
      60_000,
    );
    const { breaker, store } = await replica(p);
    expect(await waitFor(() => store.stats.malformed >= 1, 1000)).toBe(true);
    expect(breaker.state).toBe('closed');
    // and the fleet still hears a real trip: the poisoned key does not outrank it
    const other = await replica(p);
    const permit = other.breaker.tryAcquire();
    if (permit.admitted) permit.failure();
    expect(await waitFor(() => breaker.state === 'open', 2000)).toBe(true);
  });

  it('keeps following the fleet after a record with a far-future version', async () => {
    const p = prefix();
    const a = await replica(p);
    const b = await replica(p);
    const redis = await admin();
    const poison = JSON.stringify({
      n: NAME,
      s: 'closed',
      r: 0,
      v: Number.MAX_SAFE_INTEGER,
      o: 'x',
    });
    await redis.publish(a.store.channel, poison);
    await new Promise((r) => setTimeout(r, 50));
    const permit = a.breaker.tryAcquire();
    if (permit.admitted) permit.failure();
    expect(a.breaker.state).toBe('open');
    expect(await waitFor(() => b.breaker.state === 'open', 2000)).toBe(true);
  });
});
