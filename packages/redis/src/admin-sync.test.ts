// RedisAdminSync against the real Redis: operator actions reach every replica and late joiners.
import { describe, expect, it, onTestFinished } from 'vitest';
import { RedisAdminSync } from './admin-sync.js';
import { startReplica, type Replica } from './test-support.js';
import { redisEnabled, uniquePrefix, waitFor } from '@breakwater/test-support';

function follow(replica: Replica, prefix: string): RedisAdminSync {
  const sync = new RedisAdminSync({
    client: replica.client,
    registry: replica.breaker.registry!,
    prefix,
    logger: replica.logger,
  });
  onTestFinished(() => sync.close());
  return sync;
}

describe.skipIf(!redisEnabled)('RedisAdminSync (real Redis)', () => {
  it('carries a forced open and its release to another replica; a trip elsewhere does not end it', async () => {
    const prefix = uniquePrefix();
    const a = startReplica(prefix, 'payments');
    const b = startReplica(prefix, 'payments');
    await Promise.all([follow(a, prefix).ready, follow(b, prefix).ready]);
    a.breaker.forceOpen({ by: 'alice' });
    await waitFor(() => b.breaker.state === 'forced-open', 2000, 'B forced open');
    const events: string[] = [];
    b.breaker.onAdmin((event) => events.push(`${event.action}:${event.by}`));
    a.breaker.reset({ by: 'alice' });
    await waitFor(() => b.breaker.state === 'closed', 2000, 'B released');
    expect(events).toEqual(['reset:alice']);
    // B's own operator action goes back the other way
    b.breaker.disable({ by: 'bob' });
    await waitFor(() => a.breaker.state === 'disabled', 2000, 'A disabled');
    expect(a.logger.errors).toEqual([]);
  });

  it('shares mode and option changes, and a late joiner follows all of them', async () => {
    const prefix = uniquePrefix();
    const a = startReplica(prefix, 'search');
    const b = startReplica(prefix, 'search');
    await Promise.all([follow(a, prefix).ready, follow(b, prefix).ready]);
    a.breaker.setMode('shadow');
    a.breaker.configure({ failureThreshold: 7, openDuration: 45_000 });
    a.breaker.forceOpen();
    await waitFor(() => b.breaker.state === 'forced-open', 2000, 'B forced open');
    expect(b.breaker.mode).toBe('shadow');
    expect(b.breaker.config.failureThreshold).toBe(7);
    expect(b.breaker.config.openDuration).toBe(45_000);

    // a replica (re)started later: its breaker joins and reads the record
    const c = startReplica(prefix, 'search');
    await follow(c, prefix).ready;
    expect(c.breaker.state).toBe('forced-open');
    expect(c.breaker.mode).toBe('shadow');
    expect(c.breaker.config.failureThreshold).toBe(7);
  });

  it('applies a record only once and ignores older versions', async () => {
    const prefix = uniquePrefix();
    const a = startReplica(prefix, 'orders');
    const b = startReplica(prefix, 'orders');
    await Promise.all([follow(a, prefix).ready, follow(b, prefix).ready]);
    const seen: string[] = [];
    b.breaker.onAdmin((event) => seen.push(event.action));
    a.breaker.configure({ minimumCalls: 20 });
    a.breaker.configure({ minimumCalls: 30 });
    await waitFor(() => b.breaker.config.minimumCalls === 30, 2000, 'B configured');
    const heardOnA: string[] = [];
    a.breaker.onAdmin((event) => heardOnA.push(`${event.action}:${event.by}`));
    // messages on the channel arrive in order: once B's change reached A, A's own echoes have too
    b.breaker.configure({ minimumCalls: 40 }, { by: 'bob' });
    await waitFor(() => a.breaker.config.minimumCalls === 40, 2000, 'A configured');
    expect(heardOnA).toEqual(['configure:bob']);
    expect(seen).toEqual(['configure', 'configure', 'configure']);
  });
});
