// StateSubscriber on a cluster client stand-in: the options its connection gets, and which channels it subscribes when.

import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { RedisClientLike, RedisSubscriberLike } from './redis-client.js';
import { StateSubscriber, SUBSCRIBER_SLOTS_REFRESH_MS } from './state-subscriber.js';

/** A sharded subscriber stand-in: records SSUBSCRIBE calls and slot-map re-reads. */
class FakeSubscriber extends EventEmitter implements RedisSubscriberLike {
  status = 'ready';
  readonly subscribed: string[] = [];
  refreshes = 0;
  refuse = new Set<string>();
  subscribe(): Promise<unknown> {
    return Promise.resolve(1);
  }
  ssubscribe(...channels: string[]): Promise<unknown> {
    this.subscribed.push(...channels);
    if (channels.some((c) => this.refuse.has(c))) return Promise.reject(new Error('no subscriber'));
    return Promise.resolve(channels.length);
  }
  sunsubscribe(): Promise<unknown> {
    return Promise.resolve(0);
  }
  refreshSlotsCache(): void {
    this.refreshes++;
  }
  quit(): Promise<unknown> {
    return Promise.resolve('OK');
  }
  disconnect(): void {}
}

/** A Cluster client stand-in whose `duplicate` records the options it was given. */
function clusterClient(own?: { slotsRefreshInterval: number }) {
  const connection = new FakeSubscriber();
  const given: unknown[] = [];
  const client = {
    status: 'ready',
    isCluster: true,
    options: own,
    evalsha: () => Promise.resolve(null),
    eval: () => Promise.resolve(null),
    mget: () => Promise.resolve([]),
    duplicate: (...args: unknown[]) => {
      given.push(args[1]);
      return connection;
    },
    on: () => client,
    off: () => client,
  } as unknown as RedisClientLike;
  return { client, connection, given };
}

const quiet = { message: () => undefined, subscribed: () => undefined, lost: () => undefined };

describe('StateSubscriber on a cluster', () => {
  it('makes a sharded subscriber that re-reads the slot map (every 5 s unless the client says)', () => {
    const plain = clusterClient();
    new StateSubscriber(plain.client, true, 'bw:state', 500, quiet);
    expect(plain.given).toEqual([
      { shardedSubscribers: true, slotsRefreshInterval: SUBSCRIBER_SLOTS_REFRESH_MS },
    ]);
    expect(SUBSCRIBER_SLOTS_REFRESH_MS).toBe(5000);
    const tuned = clusterClient({ slotsRefreshInterval: 1000 });
    new StateSubscriber(tuned.client, true, 'bw:state', 500, quiet);
    expect(tuned.given).toEqual([{ shardedSubscribers: true, slotsRefreshInterval: 1000 }]);
  });

  it('asks ioredis for each channel once, again only after a refusal', async () => {
    const { client, connection } = clusterClient();
    const subscriber = new StateSubscriber(client, true, 'bw:state', 500, quiet);
    await subscriber.keep(['a', 'b'], false);
    connection.refuse.add('c');
    await expect(subscriber.keep(['a', 'b', 'c'], false)).rejects.toThrow('no subscriber');
    connection.refuse.clear();
    await subscriber.keep(['a', 'b', 'c'], false);
    expect(connection.subscribed).toEqual(['a', 'b', 'c', 'c']);
    expect(connection.refreshes).toBe(0);
  });

  it('has the slot map re-read when it resyncs after an outage', async () => {
    const { client, connection } = clusterClient();
    const subscriber = new StateSubscriber(client, true, 'bw:state', 500, quiet);
    await subscriber.keep([], true);
    expect(connection.refreshes).toBe(1);
  });

  it('forgets a removed channel, so that adding it again subscribes it', async () => {
    const { client, connection } = clusterClient();
    const subscriber = new StateSubscriber(client, true, 'bw:state', 500, quiet);
    await subscriber.keep(['a'], false);
    subscriber.remove('a');
    await subscriber.keep(['a'], false);
    expect(connection.subscribed).toEqual(['a', 'a']);
  });
});
