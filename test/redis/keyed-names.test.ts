// Keyed breakers with long and odd keys share state across replicas through the real Redis (same digest name everywhere).

import { BreakerRegistry, KeyedBreakers, keyedBreakerName } from '@breakwater/core';
import { RedisStore } from '@breakwater/redis';
import { onTestFinished, describe, expect, it } from 'vitest';
import {
  connect,
  recordFailure,
  recordingLogger,
  redisEnabled,
  uniquePrefix,
  waitFor,
} from '@breakwater/test-support';

/** One replica: its own connection, store, registry and keyed family `tenants`. */
function replica(prefix: string) {
  const client = connect();
  const logger = recordingLogger();
  const store = new RedisStore({ client, prefix, logger, stateTtl: 5000 });
  const tenants = new KeyedBreakers(
    {
      name: 'tenants',
      registry: new BreakerRegistry(),
      store,
      logger,
      failureThreshold: 1,
      openDuration: 30_000,
    },
    10,
  );
  onTestFinished(async () => {
    tenants.close();
    await store.close();
    await client.quit().catch(() => client.disconnect());
  });
  return { store, tenants, logger };
}

describe.skipIf(!redisEnabled)('keyed breaker names (real Redis)', () => {
  it('a 600-character key with odd characters opens on every replica under one digest name', async () => {
    const prefix = uniquePrefix();
    const a = replica(prefix);
    const b = replica(prefix);
    const key = `{slot}\n😀 ${'k'.repeat(590)}`;
    const onA = a.tenants.get(key);
    const onB = b.tenants.get(key);
    expect(onA.name).toBe(onB.name);
    expect(onA.name).toBe(keyedBreakerName('tenants', key));
    expect(onA.name.length).toBe(512);
    await waitFor(() => a.store.connected && b.store.connected, 2000, 'both stores connected');
    await waitFor(() => a.store.stats.resyncs > 0 && b.store.stats.resyncs > 0, 2000, 'resync');
    recordFailure(onA);
    expect(onA.state).toBe('open');
    await waitFor(() => onB.state === 'open', 3000, 'the other replica to open');
    expect(Math.abs(onB.retryAfterMs - onA.retryAfterMs)).toBeLessThan(1000);
    expect(b.tenants.get('other').state).toBe('closed');
    expect([...a.logger.errors, ...b.logger.errors]).toEqual([]);
  });
});
