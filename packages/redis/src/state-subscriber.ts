// The connection a RedisStore receives records on: one classic channel on a single instance, a sharded channel per breaker on a cluster.

import { withTimeout } from './lua-script.js';
import type { RedisClientLike, RedisSubscriberLike } from './redis-client.js';

/**
 * How often the cluster subscriber re-reads the slot map unless the user's client sets its own
 * `slotsRefreshInterval`. After a failover the old primary drops its sharded subscribers, and the
 * re-read that this makes ioredis do can still see the old map; without a periodic re-read (which
 * ioredis does not do by default) the subscriber would stay on the old node and hear nothing.
 */
export const SUBSCRIBER_SLOTS_REFRESH_MS = 5000;

/** What `duplicate` takes on an ioredis `Cluster`. */
type ClusterDuplicate = (
  nodes: never[],
  options: { shardedSubscribers: boolean; slotsRefreshInterval: number },
) => RedisSubscriberLike;

/** What the subscriber tells its store. */
export interface SubscriberEvents {
  /** A message on a channel the store listens to (not yet checked). */
  message(channel: unknown, message: unknown): void;
  /** The subscriptions are (again) in place: the store reads what it may have missed. */
  subscribed(): void;
  /** The connection failed or closed. */
  lost(error: unknown): void;
}

/**
 * The store's own subscriber connection (a duplicate of the user's client). On a cluster it keeps
 * one sharded channel per breaker name; ioredis moves them to the new primary when the slot map
 * changes, and the map is re-read every {@link SUBSCRIBER_SLOTS_REFRESH_MS} so that a failover is
 * noticed even when the first re-read raced it.
 */
export class StateSubscriber {
  private readonly connection: RedisSubscriberLike;
  /** Cluster: the sharded channels ioredis accepted to keep (and resubscribes by itself). */
  private readonly kept = new Set<string>();
  private readonly onReady = (): void => this.ready();
  private readonly onError = (error: unknown): void => this.events.lost(error);
  private readonly onClose = (): void => this.events.lost(new Error('connection closed'));

  constructor(
    client: RedisClientLike,
    private readonly cluster: boolean,
    /** The single instance's channel (unused on a cluster). */
    private readonly channel: string,
    private readonly commandTimeout: number,
    private readonly events: SubscriberEvents,
  ) {
    const onMessage = (channel: unknown, message: unknown): void =>
      events.message(channel, message);
    if (cluster) {
      const duplicate = client.duplicate as unknown as ClusterDuplicate;
      const own = (client as { options?: { slotsRefreshInterval?: number } }).options;
      this.connection = duplicate.call(client, [], {
        shardedSubscribers: true,
        slotsRefreshInterval: own?.slotsRefreshInterval ?? SUBSCRIBER_SLOTS_REFRESH_MS,
      });
      this.connection.on('smessage', onMessage);
      // ioredis moved the sharded subscriptions (a new slot map, or a subscriber reconnected)
      this.connection.on('subscribersReady', () => events.subscribed());
    } else {
      this.connection = client.duplicate();
      this.connection.on('message', onMessage);
    }
    this.connection.on('ready', this.onReady);
    this.connection.on('error', this.onError);
    this.connection.on('close', this.onClose);
  }

  /** The connection's status (`ready` when subscribed or subscribing). */
  get status(): string {
    return this.connection.status;
  }

  /** Subscribes the single instance's channel; on a cluster, {@link StateSubscriber.keep} does it. */
  start(): void {
    this.ready();
  }

  /** Cluster: subscribes `channel` if not kept yet (at once when connected, else at the next resync). */
  add(channel: string): void {
    if (!this.cluster || this.connection.status !== 'ready') return;
    void this.subscribe([channel]).catch((error: unknown) => this.events.lost(error));
  }

  /** Cluster: unsubscribes `channel`. */
  remove(channel: string): void {
    if (!this.cluster || !this.kept.delete(channel)) return;
    if (this.connection.status !== 'ready') return;
    this.connection.sunsubscribe?.(channel).catch(() => undefined);
  }

  /**
   * Before a resync. Cluster: subscribes every channel of `channels` ioredis does not keep yet
   * (once each: ioredis resubscribes kept ones itself) and, after an outage, has the slot map
   * re-read. Single instance: nothing (its channel is subscribed on every `ready`).
   */
  async keep(channels: Iterable<string>, afterOutage: boolean): Promise<void> {
    if (!this.cluster) return;
    if (afterOutage) this.connection.refreshSlotsCache?.();
    const missing = [...channels].filter((channel) => !this.kept.has(channel));
    if (missing.length > 0) await this.subscribe(missing);
  }

  /** Closes the connection (waiting at most `commandTimeout` for a clean QUIT). */
  async close(): Promise<void> {
    const connection = this.connection;
    if (connection.status === 'ready') {
      await withTimeout(connection.quit(), this.commandTimeout).catch(() => undefined);
    }
    connection.disconnect();
    connection.on('error', () => undefined);
  }

  private ready(): void {
    if (this.cluster) {
      this.events.subscribed(); // the resync subscribes each breaker's sharded channel first
      return;
    }
    this.connection.subscribe(this.channel).then(
      () => this.events.subscribed(),
      (error: unknown) => this.events.lost(error),
    );
  }

  /** Cluster: SSUBSCRIBE of each channel (one per slot), marked kept once ioredis accepted it. */
  private async subscribe(channels: readonly string[]): Promise<void> {
    const ssubscribe = this.connection.ssubscribe;
    if (ssubscribe === undefined) throw new TypeError('the cluster subscriber has no ssubscribe()');
    await withTimeout(
      Promise.all(
        channels.map(async (channel) => {
          await ssubscribe.call(this.connection, channel);
          this.kept.add(channel);
        }),
      ),
      this.commandTimeout,
    );
  }
}
