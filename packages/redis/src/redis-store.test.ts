// RedisStore against the real Redis: propagation, late joiners, conflicts, garbage, close.

import { describe, expect, it } from 'vitest';
import { BreakerRegistry, CircuitBreaker } from '@breakwater/core';
import { RedisStore } from './redis-store.js';
import { ready, reopenAt, startReplica } from './test-support.js';
import {
  connect,
  recordFailure,
  redisEnabled,
  uniquePrefix,
  waitFor,
} from '@breakwater/test-support';

describe.skipIf(!redisEnabled)('RedisStore (real Redis)', () => {
  it('opens the breaker on every replica when one trips, with the same reopen time', async () => {
    const prefix = uniquePrefix();
    const [a, b, c] = [
      startReplica(prefix, 'api'),
      startReplica(prefix, 'api'),
      startReplica(prefix, 'api'),
    ];
    await Promise.all([a, b, c].map((r) => ready(r)));

    recordFailure(a.breaker);
    expect(a.breaker.state).toBe('open');
    await waitFor(
      () => b.breaker.state === 'open' && c.breaker.state === 'open',
      2000,
      'followers',
    );

    const expected = reopenAt(a.breaker)!;
    expect(Math.abs(reopenAt(b.breaker)! - expected)).toBeLessThan(100);
    expect(Math.abs(reopenAt(c.breaker)! - expected)).toBeLessThan(100);
    expect(b.breaker.snapshot().lastTransition?.reason).toBe('remote');
    expect(a.store.stats.published).toBe(1);
  });

  it('leaves breakers of other names alone', async () => {
    const prefix = uniquePrefix();
    const a = startReplica(prefix, 'api');
    const other = startReplica(prefix, 'db');
    await Promise.all([ready(a), ready(other)]);
    recordFailure(a.breaker);
    const follower = startReplica(prefix, 'api');
    await waitFor(() => follower.breaker.state === 'open');
    expect(other.breaker.state).toBe('closed');
  });

  it('teaches a replica that starts later the current state', async () => {
    const prefix = uniquePrefix();
    const a = startReplica(prefix, 'api');
    await ready(a);
    recordFailure(a.breaker);
    await waitFor(() => a.store.stats.published === 1);

    const late = startReplica(prefix, 'api');
    await waitFor(() => late.breaker.state === 'open', 2000, 'the late joiner');
    expect(Math.abs(reopenAt(late.breaker)! - reopenAt(a.breaker)!)).toBeLessThan(100);
  });

  it('closes every replica when the probe on one succeeds', async () => {
    const prefix = uniquePrefix();
    const a = startReplica(prefix, 'api', { openDuration: 200 });
    const b = startReplica(prefix, 'api', { openDuration: 200 });
    await Promise.all([ready(a), ready(b)]);
    recordFailure(a.breaker);
    await waitFor(() => b.breaker.state === 'open');
    await waitFor(() => a.breaker.state === 'half-open', 2000, 'half-open');

    const probe = a.breaker.tryAcquire();
    expect(probe.admitted && probe.probe).toBe(true);
    if (probe.admitted) probe.success();
    expect(a.breaker.state).toBe('closed');
    await waitFor(() => b.store.stats.received >= 2, 2000, 'the closed record');
    expect(b.breaker.state).toBe('closed');
  });

  it('shares an operator reset with the fleet', async () => {
    const prefix = uniquePrefix();
    const a = startReplica(prefix, 'api');
    const b = startReplica(prefix, 'api');
    await Promise.all([ready(a), ready(b)]);
    recordFailure(a.breaker);
    await waitFor(() => b.breaker.state === 'open');
    b.breaker.reset();
    await waitFor(() => a.breaker.state === 'closed', 2000, 'the reset to reach a');
  });

  it('resolves concurrent trips to the latest reopen time on every replica', async () => {
    const prefix = uniquePrefix();
    // Each follows a reopen time only up to its own maxOpenDuration: 20 s here for all three.
    const short = startReplica(prefix, 'api', { openDuration: 5_000, maxOpenDuration: 20_000 });
    const long = startReplica(prefix, 'api', { openDuration: 20_000 });
    const watcher = startReplica(prefix, 'api', { openDuration: 10_000, maxOpenDuration: 20_000 });
    await Promise.all([short, long, watcher].map((r) => ready(r)));

    // Both trip in the same tick, before either has heard of the other.
    recordFailure(long.breaker);
    recordFailure(short.breaker);
    const latest = reopenAt(long.breaker)!;

    for (const r of [short, long, watcher]) {
      await waitFor(() => Math.abs((reopenAt(r.breaker) ?? 0) - latest) < 100, 2000, 'convergence');
    }
    expect(short.store.stats.overruled + long.store.stats.overruled).toBeGreaterThanOrEqual(0);
    const stored = JSON.parse((await watcher.client.get(`${prefix}state:api`))!);
    expect(stored).toMatchObject({ n: 'api', s: 'open' });
    expect(Math.abs(stored.r - latest)).toBeLessThan(5);
  });

  it('never lets an earlier reopen time replace a later one, whatever the arrival order', async () => {
    const prefix = uniquePrefix();
    const a = startReplica(prefix, 'api', { openDuration: 20_000 });
    await ready(a);
    recordFailure(a.breaker);
    await waitFor(() => a.store.stats.published === 1);
    const later = reopenAt(a.breaker)!;

    const b = startReplica(prefix, 'api', { openDuration: 1_000, maxOpenDuration: 20_000 });
    await waitFor(() => b.breaker.state === 'open');
    // b's own shorter trip, written afterwards, is overruled and b keeps the fleet's reopen time.
    b.breaker.reset();
    await waitFor(() => a.breaker.state === 'closed');
    recordFailure(a.breaker);
    recordFailure(b.breaker);
    const winner = Math.max(reopenAt(a.breaker)!, reopenAt(b.breaker)!);
    expect(winner).toBeGreaterThan(later - 5);
    for (const r of [a, b]) {
      await waitFor(() => Math.abs((reopenAt(r.breaker) ?? 0) - winner) < 100, 2000, 'the winner');
    }
  });

  it('ignores garbage in the state key and overwrites it on the next trip', async () => {
    const prefix = uniquePrefix();
    const writer = connect();
    try {
      await writer.set(`${prefix}state:api`, '{"n":"api","s":"open","r":"soon"}');
      await writer.set(`${prefix}state:db`, 'not json at all');
      await writer.lpush(`${prefix}state:cache`, 'a list, not a string');
      const a = startReplica(prefix, 'api');
      const db = startReplica(prefix, 'db');
      await Promise.all([ready(a), ready(db)]);
      expect(a.breaker.state).toBe('closed');
      expect(db.breaker.state).toBe('closed');
      expect(a.store.stats.malformed + db.store.stats.malformed).toBeGreaterThanOrEqual(2);
      expect(a.logger.warnings.join('\n')).toContain('BREAKWATER_REDIS_MALFORMED');

      const follower = startReplica(prefix, 'api');
      await ready(follower);
      recordFailure(a.breaker);
      await waitFor(() => follower.breaker.state === 'open', 2000, 'the trip over garbage');

      // A key of another type: the script still writes.
      const cacheA = startReplica(prefix, 'cache');
      const cacheB = startReplica(prefix, 'cache');
      await Promise.all([ready(cacheA), ready(cacheB)]);
      recordFailure(cacheA.breaker);
      await waitFor(() => cacheB.breaker.state === 'open', 2000, 'the trip over a list key');
    } finally {
      await writer.quit();
    }
  });

  it('ignores malformed messages on the channel and keeps following valid ones', async () => {
    const prefix = uniquePrefix();
    const a = startReplica(prefix, 'api');
    const b = startReplica(prefix, 'api');
    await Promise.all([ready(a), ready(b)]);
    const publisher = connect();
    try {
      const garbage = [
        'garbage',
        '{}',
        'null',
        '[1,2,3]',
        '{"n":"api","s":"open","r":-1,"v":1,"o":"x"}',
        '{"n":"api","s":"exploded","r":1,"v":1,"o":"x"}',
        '{"n":"api","s":"open","r":1e400,"v":1,"o":"x"}',
        '\u0000\uffff',
      ];
      for (const message of garbage) await publisher.publish(`${prefix}state`, message);
      await waitFor(() => b.store.stats.malformed >= garbage.length, 2000, 'the garbage');
      expect(b.breaker.state).toBe('closed');
      expect(b.logger.errors).toEqual([]);

      recordFailure(a.breaker);
      await waitFor(() => b.breaker.state === 'open', 2000, 'the valid trip');
    } finally {
      await publisher.quit();
    }
  });

  it('ignores records for names it does not hold and records older than the newest it applied', async () => {
    const prefix = uniquePrefix();
    const a = startReplica(prefix, 'api');
    await ready(a);
    const publisher = connect();
    try {
      const record = (v: number, r: number) =>
        JSON.stringify({ n: 'api', s: 'open', r, v, o: 'elsewhere' });
      await publisher.publish(
        `${prefix}state`,
        JSON.stringify({ n: 'other', s: 'open', r: Date.now() + 9e6, v: 1, o: 'x' }),
      );
      await publisher.publish(`${prefix}state`, record(100, Date.now() + 10_000));
      await waitFor(() => a.breaker.state === 'open');
      await publisher.publish(
        `${prefix}state`,
        JSON.stringify({ n: 'api', s: 'closed', r: 0, v: 50, o: 'x' }),
      );
      await waitFor(() => a.store.stats.received >= 3);
      expect(a.breaker.state).toBe('open');
    } finally {
      await publisher.quit();
    }
  });

  it('keeps serving every request on local state while Redis does not answer at start', async () => {
    // Nothing listens on port 1: the store can never connect.
    const client = connect('redis://127.0.0.1:1', { retryStrategy: () => 100 });
    const errors: string[] = [];
    const store = new RedisStore({
      client,
      prefix: uniquePrefix(),
      logger: { warn: () => undefined, error: (m) => void errors.push(m) },
    });
    const breaker = new CircuitBreaker({
      name: 'api',
      failureThreshold: 3,
      registry: new BreakerRegistry(),
      store,
    });
    try {
      let answered = 0;
      for (let i = 0; i < 200; i++) {
        const permit = breaker.tryAcquire();
        if (permit.admitted) permit.success();
        answered++;
      }
      expect(answered).toBe(200);
      for (let i = 0; i < 3; i++) recordFailure(breaker);
      expect(breaker.state).toBe('open');
      await waitFor(() => store.stats.errors >= 3, 3000, 'several connection errors');
      expect(errors).toHaveLength(1);
      expect(store.stats.outages).toBe(1);
      expect(store.connected).toBe(false);
    } finally {
      breaker.close();
      await store.close();
      client.disconnect();
    }
  });

  it('releases its subscriber connection and timers on close, and leaves the user client open', async () => {
    const client = connect();
    await waitFor(() => client.status === 'ready');
    const count = (kind: string) =>
      process.getActiveResourcesInfo().filter((resource) => resource === kind).length;
    const sockets = count('TCPSocketWrap');
    const timers = count('Timeout');
    const store = new RedisStore({
      client,
      prefix: uniquePrefix(),
      coordinateProbes: true,
      shareCounts: true,
      syncInterval: 50,
    });
    const breaker = new CircuitBreaker({
      name: 'api',
      failureThreshold: 1,
      failureRateThreshold: 50,
      registry: new BreakerRegistry(),
      store,
    });
    await waitFor(() => store.stats.resyncs > 0);
    recordFailure(breaker);
    await waitFor(() => store.stats.published === 1);
    expect(count('TCPSocketWrap')).toBe(sockets + 1);
    await store.close();
    breaker.close();
    await waitFor(
      () => count('TCPSocketWrap') === sockets && count('Timeout') <= timers,
      2000,
      'handles to be released',
    );
    expect(client.status).toBe('ready');
    expect(await client.ping()).toBe('PONG');
    await client.quit();
  });
});
