// RedisAdminSync across a Redis restart: an operator action taken while Redis is down reaches the fleet.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { BreakerRegistry, CircuitBreaker } from '@breakwater/core';
import { RedisAdminSync, RedisStore } from '@breakwater/redis';
import { freePort, PrivateRedis, waitFor } from '@breakwater/test-support';

const enabled = process.env.BREAKWATER_REDIS === '1';

/** One replica: its own connection, store, registry, breaker and admin sync. */
class Replica {
  readonly client: Redis;
  readonly store: RedisStore;
  readonly breaker: CircuitBreaker;
  readonly sync: RedisAdminSync;
  readonly errors: string[] = [];

  constructor(url: string, prefix: string) {
    this.client = new Redis(url, { retryStrategy: () => 50, maxRetriesPerRequest: 1 });
    this.client.on('error', () => undefined);
    const logger = { warn: () => undefined, error: (m: string) => void this.errors.push(m) };
    this.store = new RedisStore({ client: this.client, prefix, commandTimeout: 300, logger });
    const registry = new BreakerRegistry();
    this.breaker = new CircuitBreaker({ name: 'payments', registry, store: this.store });
    this.sync = new RedisAdminSync({ client: this.client, registry, prefix, logger });
  }

  async close(): Promise<void> {
    await this.sync.close();
    this.breaker.close();
    await this.store.close();
    this.client.disconnect();
  }
}

describe.skipIf(!enabled)('RedisAdminSync across a Redis restart (private redis-server)', () => {
  let redis: PrivateRedis;
  let a: Replica;
  let b: Replica;

  beforeAll(async () => {
    redis = new PrivateRedis(await freePort());
    await redis.start();
    const prefix = `bwadmin:${Date.now()}:`;
    a = new Replica(redis.url, prefix);
    b = new Replica(redis.url, prefix);
    await Promise.all([a.sync.ready, b.sync.ready]);
  });

  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await redis?.stop();
  });

  it('writes a force-open taken during the outage once Redis is back, and the other replica follows', async () => {
    a.breaker.forceOpen({ by: 'alice' });
    await waitFor(() => b.breaker.state === 'forced-open', 3000, 'B forced open');
    await redis.stop();
    a.breaker.reset({ by: 'alice' }); // Redis is down: held back
    await waitFor(() => a.errors.some((m) => m.includes('when Redis is back')), 3000, 'the hold');
    expect(b.breaker.state).toBe('forced-open');
    await redis.start();
    await waitFor(() => b.breaker.state === 'closed', 10_000, 'B released after the restart');
    // and the channel works again both ways
    b.breaker.forceOpen({ by: 'bob' });
    await waitFor(() => a.breaker.state === 'forced-open', 3000, 'A forced open by B');
  });
});
