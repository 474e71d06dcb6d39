// Redis killed and restarted under HTTP traffic: no request is lost, the outage is logged once, state resyncs.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { BreakerRegistry, CircuitBreaker } from '@breakwater/core';
import { RedisStore } from '@breakwater/redis';
import {
  alternatingTraffic,
  expectEveryRequestAnswered,
  freePort,
  PrivateRedis,
  waitFor,
} from '@breakwater/test-support';

const enabled = process.env.BREAKWATER_REDIS === '1';

/** One replica: an HTTP server whose route is guarded by a breaker sharing state through Redis. */
class Replica {
  readonly client: Redis;
  readonly store: RedisStore;
  readonly breaker: CircuitBreaker;
  readonly errors: string[] = [];
  readonly warnings: string[] = [];
  /** Whether the protected dependency works. */
  dependencyUp = true;
  readonly server: http.Server;

  constructor(url: string, prefix: string) {
    this.client = new Redis(url, { retryStrategy: () => 50, maxRetriesPerRequest: 1 });
    this.client.on('error', () => undefined);
    this.store = new RedisStore({
      client: this.client,
      prefix,
      commandTimeout: 300,
      logger: {
        warn: (message) => void this.warnings.push(message),
        error: (message) => void this.errors.push(message),
      },
    });
    this.breaker = new CircuitBreaker({
      name: 'orders',
      failureThreshold: 3,
      openDuration: 60_000,
      registry: new BreakerRegistry(),
      store: this.store,
    });
    this.server = http.createServer((_req, res) => {
      const permit = this.breaker.tryAcquire();
      if (!permit.admitted) {
        res.writeHead(503, { 'retry-after': String(Math.ceil(permit.retryAfterMs / 1000)) });
        res.end();
        return;
      }
      const status = this.dependencyUp ? 200 : 500;
      permit.record({ status });
      res.writeHead(status);
      res.end();
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  async close(): Promise<void> {
    this.breaker.close();
    await this.store.close();
    this.client.disconnect();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

describe.skipIf(!enabled)('RedisStore when Redis dies and comes back during traffic', () => {
  let redis: PrivateRedis;
  let a: Replica;
  let b: Replica;
  let urls: string[];

  beforeAll(async () => {
    redis = new PrivateRedis(await freePort());
    await redis.start();
    const prefix = `bwrestart:${Date.now()}:`;
    a = new Replica(redis.url, prefix);
    b = new Replica(redis.url, prefix);
    urls = [await a.listen(), await b.listen()];
    await waitFor(() => a.store.connected && b.store.connected, 3000, 'both stores');
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await redis?.stop();
  });

  it('answers every request, logs the outage once per store and resyncs when Redis returns', async () => {
    // Bounded traffic: at most 3000 requests, alternating between the replicas, until stopped.
    const traffic = alternatingTraffic(urls, { max: 3000, timeoutMs: 2000 });

    await waitFor(() => traffic.sent > 100, 5000, 'traffic before the outage');
    await redis.stop();
    await waitFor(() => a.store.stats.outages === 1 && b.store.stats.outages === 1, 5000, 'outage');
    const duringOutage = traffic.sent;
    await waitFor(() => traffic.sent > duringOutage + 100, 5000, 'traffic during the outage');

    // The dependency breaks behind replica a while Redis is away: a opens locally, b cannot know.
    a.dependencyUp = false;
    await waitFor(() => a.breaker.state === 'open', 5000, 'a to open on local state');
    expect(b.breaker.state).toBe('closed');

    await redis.start();
    await waitFor(
      () => b.breaker.state === 'open',
      5000,
      'b to learn of the trip after the restart',
    );
    await waitFor(() => a.store.connected && b.store.connected, 5000, 'reconnection');
    await traffic.stop();

    expectEveryRequestAnswered(traffic, [200, 500, 503]);
    for (const r of [a, b]) {
      expect(r.errors).toHaveLength(1);
      expect(r.store.stats.outages).toBe(1);
      expect(r.store.stats.errors).toBeGreaterThanOrEqual(1);
      expect(r.warnings.some((w) => w.includes('reachable again'))).toBe(true);
    }
    expect(Math.abs(b.breaker.retryAfterMs - a.breaker.retryAfterMs)).toBeLessThan(200);

    // After the restart, live propagation works again: b's reset reaches a.
    b.breaker.reset();
    await waitFor(() => a.breaker.state === 'closed', 3000, 'the reset to reach a');
  });
});
