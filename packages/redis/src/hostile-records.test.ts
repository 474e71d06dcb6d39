// Forged records against the real Redis: bounded by the receiving breaker's options, never deafening it.

import { describe, expect, it, onTestFinished } from 'vitest';
import { RedisCacheStore } from './redis-cache-store.js';
import { ready, startReplica } from './test-support.js';
import {
  connect,
  recordFailure,
  redisEnabled,
  uniquePrefix,
  waitFor,
} from '@breakwater/test-support';

const DAY = 86_400_000;

describe.skipIf(!redisEnabled)('RedisStore and RedisCacheStore against forged records', () => {
  function publisher() {
    const client = connect();
    onTestFinished(() => client.quit().then(() => undefined));
    return client;
  }

  const forged = (fields: { s: string; r: number; v: number }) =>
    JSON.stringify({ n: 'api', o: 'forger', ...fields });

  it('keeps a breaker open no longer than its own maxOpenDuration, whatever a message says', async () => {
    const prefix = uniquePrefix();
    const a = startReplica(prefix, 'api', { openDuration: 1000, maxOpenDuration: 2000 });
    await ready(a);
    const now = Date.now();
    await publisher().publish(`${prefix}state`, forged({ s: 'open', r: now + 20 * DAY, v: now }));
    await waitFor(() => a.breaker.state === 'open', 2000, 'the forged open');
    expect(a.breaker.retryAfterMs).toBeLessThanOrEqual(2000);
    expect(a.store.stats.clamped).toBe(1);
  });

  it('closes the fleet after a forged 20-day open in the key once a probe succeeds', async () => {
    const prefix = uniquePrefix();
    const writer = publisher();
    const now = Date.now();
    await writer.set(
      `${prefix}state:api`,
      forged({ s: 'open', r: now + 20 * DAY, v: now }),
      'PX',
      60_000,
    );
    const a = startReplica(prefix, 'api', { openDuration: 100, maxOpenDuration: 200 });
    const b = startReplica(prefix, 'api', { openDuration: 100, maxOpenDuration: 200 });
    await Promise.all([ready(a), ready(b)]);
    await waitFor(() => a.breaker.state === 'open', 2000, 'a to follow the key, cut to 200 ms');
    expect(a.breaker.retryAfterMs).toBeLessThanOrEqual(200);
    await waitFor(() => a.breaker.state === 'half-open', 2000, 'a to reach half-open');
    const probe = a.breaker.tryAcquire();
    expect(probe.admitted).toBe(true);
    if (probe.admitted) probe.success();
    expect(a.breaker.state).toBe('closed');
    await waitFor(() => b.breaker.state === 'closed', 2000, 'the close to reach b');
    const stored = JSON.parse((await writer.get(`${prefix}state:api`))!);
    expect(stored).toMatchObject({ n: 'api', s: 'closed' });
    expect(a.breaker.state).toBe('closed');
  });

  it('overwrites a forged open in the key that outlasts the writer’s bound, so real trips spread', async () => {
    const prefix = uniquePrefix();
    const a = startReplica(prefix, 'api');
    const b = startReplica(prefix, 'api');
    await Promise.all([ready(a), ready(b)]);
    const writer = publisher();
    const now = Date.now();
    await writer.set(
      `${prefix}state:api`,
      forged({ s: 'open', r: now + 20 * DAY, v: now }),
      'PX',
      60_000,
    );
    recordFailure(a.breaker);
    await waitFor(() => b.breaker.state === 'open', 2000, 'the real trip to reach b');
    expect(Math.abs(b.breaker.retryAfterMs - a.breaker.retryAfterMs)).toBeLessThan(200);
    const stored = JSON.parse((await writer.get(`${prefix}state:api`))!);
    expect(stored.o).not.toBe('forger');
    expect(stored.r).toBeLessThanOrEqual(Date.now() + 30_000);
  });

  it('rejects a closed stamped 23 h ahead and still follows the next real trip', async () => {
    const prefix = uniquePrefix();
    const a = startReplica(prefix, 'api');
    const b = startReplica(prefix, 'api');
    await Promise.all([ready(a), ready(b)]);
    recordFailure(a.breaker);
    await waitFor(() => b.breaker.state === 'open', 2000, 'the first trip');
    const now = Date.now();
    await publisher().publish(
      `${prefix}state`,
      forged({ s: 'closed', r: 0, v: now + 23 * 3_600_000 }),
    );
    await waitFor(() => b.store.stats.malformed >= 1, 2000, 'the forged close');
    expect(b.breaker.state).toBe('open');
    a.breaker.reset();
    await waitFor(() => b.breaker.state === 'closed', 2000, 'the real reset');
    recordFailure(a.breaker);
    await waitFor(() => b.breaker.state === 'open', 2000, 'the next real trip');
  });

  it('is not deafened by a forged version within the skew allowance: the key decides', async () => {
    const prefix = uniquePrefix();
    const a = startReplica(prefix, 'api');
    const b = startReplica(prefix, 'api');
    await Promise.all([ready(a), ready(b)]);
    const now = Date.now();
    // 8 s ahead: within the allowance, so b takes it (a closed changes nothing on a closed breaker).
    await publisher().publish(`${prefix}state`, forged({ s: 'closed', r: 0, v: now + 8000 }));
    await waitFor(() => b.store.stats.received >= 1, 2000, 'the forged version');
    // A real trip now carries an older version than the forged one; b must still follow it.
    recordFailure(a.breaker);
    await waitFor(() => b.breaker.state === 'open', 2000, 'the real trip');
    expect(b.store.stats.malformed).toBe(0);
  });

  it('treats a cached record with a CR/LF header value or a bad header name as a miss', async () => {
    const prefix = uniquePrefix();
    const client = publisher();
    const store = new RedisCacheStore({ client, prefix });
    const head = (headers: Record<string, string>) => {
      const json = Buffer.from(
        JSON.stringify([
          {
            status: 200,
            headers,
            storedAt: 1,
            serveLimit: 1,
            vary: [],
            variant: '',
            bodyLength: 0,
          },
        ]),
      );
      const prefixBytes = Buffer.from([1, 0, 0, 0, 0]);
      prefixBytes.writeUInt32BE(json.length, 1);
      return Buffer.concat([prefixBytes, json]);
    };
    await client.set(
      `${prefix}cache:crlf`,
      head({ location: '/\r\nset-cookie: a=1' }),
      'PX',
      10_000,
    );
    await client.set(`${prefix}cache:name`, head({ 'bad name': 'x' }), 'PX', 10_000);
    await client.set(`${prefix}cache:good`, head({ 'x-ok': 'fine' }), 'PX', 10_000);
    expect(await store.get('crlf')).toBeUndefined();
    expect(await store.get('name')).toBeUndefined();
    expect(await store.get('good')).toBeDefined();
    expect(store.stats).toMatchObject({ malformed: 2, misses: 2, hits: 1, errors: 0 });
  });
});
